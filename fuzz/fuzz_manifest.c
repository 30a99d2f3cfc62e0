/* Fuzz target: the MANIFEST of a USB package (src/usb/package.c, bt_manifest_parse), the first
 * text of a stick the appliance reads. Besides the sanitizers it checks the promise the format
 * makes (bt_package.h): the text is canonical, so a MANIFEST that parses is exactly what
 * bt_manifest_format writes for it — the signature then covers one meaning only. Every entry
 * must also be a safe path, sorted, findable, and within the package limits' arithmetic. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_package.h"
#include "bangtin/bt_text.h"
#include "fuzz.h"

static void check_manifest(const bt_manifest *m, const uint8_t *data, size_t size)
{
    uint64_t total = 0;
    FUZZ_CHECK(m->count <= BT_MAX_PACKAGE_FILES);
    for (size_t i = 0; i < m->count; i++) {
        const bt_manifest_entry *e = &m->entries[i];
        FUZZ_CHECK(e->path != NULL);
        FUZZ_CHECK(bt_package_path_safe(e->path));
        FUZZ_CHECK(bt_text_utf8_valid(e->path, strlen(e->path)));
        FUZZ_CHECK(strlen(e->sha256) == 64);
        FUZZ_CHECK(e->line >= 2);
        if (i > 0)
            FUZZ_CHECK(strcmp(m->entries[i - 1].path, e->path) < 0);
        FUZZ_CHECK(bt_manifest_find(m, e->path) == e);
        bt_package_file_limit(e->path);
        total += e->size;
    }
    FUZZ_CHECK(total == m->total_bytes);

    size_t len = 0;
    char *text = bt_manifest_format(m, &len);
    FUZZ_CHECK(text != NULL);
    if (len != size || memcmp(text, data, size) != 0) {
        fprintf(stderr, "MANIFEST parsed but is not canonical: %zu bytes in, %zu written\n", size,
                len);
        FUZZ_CHECK(!"bt_manifest_format(bt_manifest_parse(x)) == x");
    }
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bt_manifest m;
    bt_diags diags;
    bt_diags_init(&diags);
    int rc = bt_manifest_parse((const char *)data, size, &m, &diags);
    if (rc == 0) {
        FUZZ_CHECK(diags.errors == 0);
        check_manifest(&m, data, size);
    } else {
        FUZZ_CHECK(diags.errors > 0);
        FUZZ_CHECK(m.count == 0 && m.entries == NULL);
    }
    fuzz_check_diags(&diags);
    bt_manifest_free(&m);
    bt_diags_free(&diags);
    return 0;
}
