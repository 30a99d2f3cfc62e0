/* SDL2_mixer's decoders for the compressed formats (OGG, MP3, FLAC, OPUS; AIFF and VOC too),
 * inside the audio module on the appliance (audio_module.h). SDL2_mixer decodes only into the
 * format of an open mixer, and opening one opens an audio device, so the mixer is opened on
 * SDL's dummy driver for each decode, only in a process without the engine's device (measure,
 * check, speak, the kiosk's decoding child: decode.c).
 *
 * Debian's SDL2_mixer links libfluidsynth and its chain (glib, pulse, jack, libsndfile …): ~5 MB
 * of a kiosk that otherwise plays only WAV. Every function here runs under decode.c's lock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL2/SDL.h>
#include <SDL2/SDL_mixer.h>

#include "bangtin/bt_audio.h"
#include "bangtin/bt_diag.h"
#include "bangtin/bt_vi.h"
#include "audio_internal.h"

static bool mix_open;

int bt_audio_mix_open(char *err, size_t err_size)
{
    if (mix_open) {
        bt_set_error(err, err_size, "Bộ trộn âm thanh đã được mở.");
        return -1;
    }
    if (bt_audio_sdl_init(true, err, err_size) != 0)
        return -1;
    /* Decoders load on demand; a format whose library is missing simply fails to decode. */
    Mix_Init(MIX_INIT_OGG | MIX_INIT_MP3 | MIX_INIT_FLAC | MIX_INIT_OPUS);
    if (Mix_OpenAudioDevice(BT_AUDIO_RATE, AUDIO_S16SYS, BT_AUDIO_CHANNELS,
                            BT_AUDIO_BUFFER_FRAMES, NULL, 0) != 0) {
        bt_set_error(err, err_size, "không mở được thiết bị âm thanh: %s",
                     bt_vi_library_error(Mix_GetError()));
        Mix_Quit();
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        return -1;
    }
    mix_open = true;
    return 0;
}

void bt_audio_mix_close(void)
{
    if (!mix_open)
        return;
    Mix_CloseAudio();
    Mix_Quit();
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
    mix_open = false;
}

/* Rejects a file whose declared length is over the limit before decoding it whole: a small
 * compressed file can hold hours. -1 only when the length is known and too long. */
static int check_declared_length(SDL_RWops *rw, const char *name, int max_seconds, char *err,
                                 size_t err_size)
{
    Mix_Music *music = Mix_LoadMUS_RW(rw, 0);
    double seconds = music ? Mix_MusicDuration(music) : -1.0;
    if (music)
        Mix_FreeMusic(music);
    SDL_RWseek(rw, 0, RW_SEEK_SET);
    if (seconds > (double)max_seconds) {
        bt_set_error(err, err_size, "Tệp âm thanh “%s” dài %.0f giây, vượt giới hạn %d giây.", name,
                seconds, max_seconds);
        return -1;
    }
    return 0;
}

int bt_audio_mix_decode(const unsigned char *data, size_t len, const char *name,
                        int max_seconds, int16_t **pcm, size_t *frames, char *err,
                        size_t err_size)
{
    int rate = 0, channels = 0;
    Uint16 format = 0;
    if (!mix_open || !Mix_QuerySpec(&rate, &format, &channels) || rate != BT_AUDIO_RATE ||
        format != AUDIO_S16SYS || channels != BT_AUDIO_CHANNELS) {
        bt_set_error(err, err_size, "Không giải mã được “%s”: bộ trộn âm thanh chưa sẵn sàng.", name);
        return -1;
    }
    if (len > INT32_MAX) {
        bt_set_error(err, err_size, "Tệp âm thanh “%s” quá lớn.", name);
        return -1;
    }
    SDL_RWops *rw = SDL_RWFromConstMem(data, (int)len);
    if (!rw) {
        bt_set_error(err, err_size, "Không đủ bộ nhớ để giải mã “%s”.", name);
        return -1;
    }
    if (check_declared_length(rw, name, max_seconds, err, err_size) != 0) {
        SDL_RWclose(rw);
        return -1;
    }
    Mix_Chunk *chunk = Mix_LoadWAV_RW(rw, 1);
    if (!chunk) {
        bt_set_error(err, err_size,
                "Không giải mã được tệp âm thanh “%s” (hỗ trợ WAV, OGG, MP3, FLAC, OPUS): %s",
                name, bt_vi_library_error(Mix_GetError()));
        return -1;
    }
    int rc = bt_audio_fold_mono((const int16_t *)chunk->abuf, chunk->alen, name, max_seconds,
                                pcm, frames, err, err_size);
    Mix_FreeChunk(chunk);
    return rc;
}
