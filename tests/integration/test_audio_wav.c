/* WAV is decoded with SDL alone (audio/decode.c), no longer through SDL2_mixer, so that the kiosk
 * needs no SDL2_mixer for the chime, spoken bulletins and WAV items. The samples must be the ones
 * SDL2_mixer gave: every WAV shape sox writes (rates, channels, 8/16/24/32-bit, float) decoded
 * both ways, the old way being SDL2_mixer's Mix_LoadWAV_RW into a mixer of the engine's format
 * folded to mono as decode.c folds, byte for byte the same. */
#include "bt_test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL2/SDL.h>
#include <SDL2/SDL_mixer.h>

#include "bangtin/bt_audio.h"
#include "../../src/audio/audio_internal.h" /* white box: the decoder */

/* The old path: SDL2_mixer opened in the engine's format on the dummy driver. */
static int16_t *mixer_decode(const unsigned char *data, size_t len, size_t *frames)
{
    SDL_RWops *rw = SDL_RWFromConstMem(data, (int)len);
    assert_non_null(rw);
    Mix_Chunk *chunk = Mix_LoadWAV_RW(rw, 1);
    if (!chunk)
        fail_msg("SDL2_mixer: %s", Mix_GetError());
    size_t n = chunk->alen / (sizeof(int16_t) * BT_AUDIO_CHANNELS);
    int16_t *mono = malloc(n * sizeof *mono);
    assert_non_null(mono);
    const int16_t *stereo = (const int16_t *)chunk->abuf;
    for (size_t i = 0; i < n; i++)
        mono[i] = (int16_t)(((int32_t)stereo[2 * i] + stereo[2 * i + 1]) / 2);
    Mix_FreeChunk(chunk);
    *frames = n;
    return mono;
}

static void wav_samples_are_the_ones_sdl_mixer_gave(void **state)
{
    (void)state;
    char *dir = bt_test_temp_dir("audio-wav");
    assert_non_null(dir);
    /* rate, channels, sox's encoding options */
    const struct {
        int rate, channels;
        const char *encoding;
    } shapes[] = {
        {48000, 2, "-b 16"},           {48000, 1, "-b 16"},          {44100, 1, "-b 16"},
        {44100, 2, "-b 16"},           {22050, 1, "-b 8 -e unsigned"}, {16000, 1, "-b 16"},
        {44100, 2, "-b 24"},           {48000, 2, "-b 32"},          {32000, 1, "-e float -b 32"},
        {11025, 2, "-b 16"},
    };
    assert_int_equal(Mix_OpenAudioDevice(BT_AUDIO_RATE, AUDIO_S16SYS, BT_AUDIO_CHANNELS, 1024,
                                         NULL, 0),
                     0);
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        char path[1200], cmd[2048];
        snprintf(path, sizeof path, "%s/t%zu.wav", dir, i);
        /* Two tones and noise, loud enough that every bit of the conversion shows. */
        snprintf(cmd, sizeof cmd,
                 "sox -R -n -r %d -c %d %s '%s' synth 1.3 sine 440 sine 1234 whitenoise "
                 "gain -3 2>&1",
                 shapes[i].rate, shapes[i].channels, shapes[i].encoding, path);
        bt_test_run_ok(cmd);
        size_t len = 0;
        unsigned char *data = (unsigned char *)bt_test_read_file(path, &len);
        assert_non_null(data);

        size_t old_frames = 0, new_frames = 0;
        int16_t *old = mixer_decode(data, len, &old_frames);
        int16_t *now = NULL;
        char err[512];
        if (bt_audio_decode(data, len, path, 60, false, &now, &new_frames, err, sizeof err) != 0)
            fail_msg("%s", err);
        if (new_frames != old_frames || memcmp(now, old, new_frames * sizeof *now) != 0)
            fail_msg("%d Hz, %d channels, %s: %zu frames, SDL2_mixer %zu, or samples differ",
                     shapes[i].rate, shapes[i].channels, shapes[i].encoding, new_frames,
                     old_frames);
        free(now);
        free(old);
        free(data);
    }
    Mix_CloseAudio();
    free(dir);
}

/* A WAV longer than the limit is refused with the length, as SDL2_mixer's check said it. */
static void long_wav_is_refused_with_its_length(void **state)
{
    (void)state;
    char *dir = bt_test_temp_dir("audio-wav-long");
    assert_non_null(dir);
    char path[1200], cmd[2048];
    snprintf(path, sizeof path, "%s/dai.wav", dir);
    snprintf(cmd, sizeof cmd, "sox -R -n -r 8000 -c 1 -b 16 '%s' synth 12 sine 440 2>&1", path);
    bt_test_run_ok(cmd);
    size_t len = 0;
    unsigned char *data = (unsigned char *)bt_test_read_file(path, &len);
    assert_non_null(data);
    int16_t *pcm = NULL;
    size_t frames = 0;
    char err[512];
    assert_int_equal(bt_audio_decode(data, len, "dai.wav", 10, false, &pcm, &frames, err,
                                     sizeof err),
                     -1);
    assert_null(pcm);
    assert_string_equal(err, "Tệp âm thanh “dai.wav” dài 12 giây, vượt giới hạn 10 giây.");
    free(data);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wav_samples_are_the_ones_sdl_mixer_gave),
        cmocka_unit_test(long_wav_is_refused_with_its_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
