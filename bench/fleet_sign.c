/* For bench/fleet.sh: N wards' exports made from one appliance's export. The rows of a log do
 * not depend on the device (the chain hashes only the rows), so every ward gets the same rows
 * under its own device key: the copy's meta names ward i's device id and public key, and it is
 * signed with that key (seeded from i, so runs repeat). Writes OUT/w<i>.bangtin, .sig and
 * OUT/w<i>.pub.
 *
 *   fleet_sign SOURCE.bangtin OUTDIR N */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "bangtin/bt_device_key.h"
#include "bangtin/bt_export.h"

static int write_all(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc != 4 || sodium_init() < 0) {
        fprintf(stderr, "usage: fleet_sign SOURCE.bangtin OUTDIR N\n");
        return 2;
    }
    char *src = NULL, err[1024];
    size_t src_len = 0;
    if (bt_export_read_file(argv[1], BT_EXPORT_MAX_BYTES, &src, &src_len, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    int n = atoi(argv[3]);
    for (int i = 1; i <= n; i++) {
        char path[1024], sql[512], hex[65], ward[64];
        unsigned char seed[32] = {0};
        bt_device_key k;
        memcpy(seed, &i, sizeof i);
        crypto_sign_seed_keypair(k.public_key, k.secret_key, seed);
        bt_device_key_name(k.public_key, k.id, k.fingerprint);
        sodium_bin2hex(hex, sizeof hex, k.public_key, 32);
        snprintf(ward, sizeof ward, "Phường số %03d", i);
        snprintf(path, sizeof path, "%s/w%03d.bangtin", argv[2], i);
        if (write_all(path, src, src_len) != 0)
            return 1;
        sqlite3 *db = NULL;
        snprintf(sql, sizeof sql,
                 "UPDATE meta SET value = '%s' WHERE key = 'device_id';"
                 "UPDATE meta SET value = '%s' WHERE key = 'device_public_key';"
                 "UPDATE meta SET value = '%s' WHERE key = 'ward';", k.id, hex, ward);
        if (sqlite3_open(path, &db) != SQLITE_OK ||
            sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
            fprintf(stderr, "%s: %s\n", path, sqlite3_errmsg(db));
            return 1;
        }
        sqlite3_close(db);
        char *data = NULL;
        size_t len = 0;
        if (bt_export_read_file(path, BT_EXPORT_MAX_BYTES, &data, &len, err, sizeof err) != 0)
            return 1;
        char *sig = bt_device_key_sign(&k, data, len);
        char *pub = bt_device_key_public_text(&k, ward);
        strcat(path, ".sig");
        if (!sig || !pub || write_all(path, sig, strlen(sig)) != 0)
            return 1;
        snprintf(path, sizeof path, "%s/w%03d.pub", argv[2], i);
        if (write_all(path, pub, strlen(pub)) != 0)
            return 1;
        free(data);
        free(sig);
        free(pub);
    }
    free(src);
    return 0;
}
