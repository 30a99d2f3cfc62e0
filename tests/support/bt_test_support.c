#include "bt_test_support.h"

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
