#include "bt_test_support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

char *bt_test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *bigger = realloc(buf, cap * 2 + 1);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf)
        return NULL;
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int bt_test_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t put = fwrite(data, 1, len, f);
    return (fclose(f) == 0 && put == len) ? 0 : -1;
}

char *bt_test_temp_dir(const char *name)
{
    size_t size = strlen(BT_BINARY_DIR) + strlen(name) + 32;
    char *dir = malloc(size);
    if (!dir)
        return NULL;
    snprintf(dir, size, "%s/test-tmp/%s", BT_BINARY_DIR, name);
    char *cmd = malloc(size * 2 + 32);
    if (!cmd) {
        free(dir);
        return NULL;
    }
    snprintf(cmd, size * 2 + 32, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    int rc = system(cmd);
    free(cmd);
    if (rc != 0) {
        free(dir);
        return NULL;
    }
    return dir;
}

char *bt_test_run(const char *command, int *status)
{
    FILE *p = popen(command, "r");
    if (!p)
        return NULL;
    size_t cap = 4096, n = 0;
    char *out = malloc(cap + 1);
    size_t got;
    while (out && (got = fread(out + n, 1, cap - n, p)) > 0) {
        n += got;
        if (n == cap) {
            char *bigger = realloc(out, cap * 2 + 1);
            if (!bigger) {
                free(out);
                out = NULL;
                break;
            }
            out = bigger;
            cap *= 2;
        }
    }
    int rc = pclose(p);
    if (status)
        *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    if (out)
        out[n] = '\0';
    return out;
}

static void put_le(unsigned char *p, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

int bt_test_write_wav(const char *path, const bt_test_span *spans, size_t count)
{
    const int rate = 48000;
    size_t frames = 0;
    for (size_t i = 0; i < count; i++)
        frames += (size_t)lround(spans[i].seconds * rate);
    size_t data = frames * 2;
    unsigned char *buf = calloc(1, 44 + data);
    if (!buf)
        return -1;
    memcpy(buf, "RIFF", 4);
    put_le(buf + 4, (uint32_t)(36 + data), 4);
    memcpy(buf + 8, "WAVEfmt ", 8);
    put_le(buf + 16, 16, 4);
    put_le(buf + 20, 1, 2);            /* PCM */
    put_le(buf + 22, 1, 2);            /* mono */
    put_le(buf + 24, (uint32_t)rate, 4);
    put_le(buf + 28, (uint32_t)rate * 2, 4);
    put_le(buf + 32, 2, 2);
    put_le(buf + 34, 16, 2);
    memcpy(buf + 36, "data", 4);
    put_le(buf + 40, (uint32_t)data, 4);
    size_t at = 0;
    for (size_t i = 0; i < count; i++) {
        size_t n = (size_t)lround(spans[i].seconds * rate);
        /* A sine's peak is √2 times its RMS. */
        double amp = isinf(spans[i].dbfs) ? 0.0
                                          : 32767.0 * sqrt(2.0) * pow(10.0, spans[i].dbfs / 20.0);
        for (size_t k = 0; k < n; k++, at++) {
            double v = amp * sin(2.0 * M_PI * 440.0 * (double)at / rate);
            put_le(buf + 44 + at * 2, (uint16_t)(int16_t)lrint(v), 2);
        }
    }
    int rc = bt_test_write_file(path, buf, 44 + data);
    free(buf);
    return rc;
}

char *bt_test_run_expect(const char *command, int want_status)
{
    int status = -1;
    char *out = bt_test_run(command, &status);
    assert_non_null(out);
    if (status != want_status)
        fail_msg("\"%s\" exited %d, not %d:\n%s", command, status, want_status, out);
    return out;
}

void bt_test_run_ok(const char *command)
{
    int status;
    char *out = bt_test_run(command, &status);
    assert_non_null(out);
    if (status != 0)
        fail_msg("\"%s\" failed (%d):\n%s", command, status, out);
    free(out);
}
