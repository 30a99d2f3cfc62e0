/* Fuzz target: ghi-nhan.csv as a stick brings it (bt_records_csv_parse). Whatever the bytes, the
 * reader ends; on success every row is a recorded channel, a real day, a count in range, a note
 * within its limit and a content key; on failure it says why in diagnostics (each well formed) and
 * leaves the records as they were; the same bytes read again give the same keys. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bangtin/bt_records.h"
#include "bangtin/bt_targets.h"
#include "bangtin/bt_time.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bt_target items[] = {{.id = "trang", .channel = BT_TARGET_WARD_SITE, .topic = "cchc"}};
    bt_targets targets = {items, 1};
    bt_records a, b;
    bt_diags d;
    bt_records_init(&a);
    bt_records_init(&b);
    bt_diags_init(&d);
    int rc = bt_records_csv_parse((const char *)data, size, BT_RECORDS_CSV_FILE, &targets, &a, &d);
    fuzz_check_diags(&d);
    FUZZ_CHECK((rc == 0) == (d.errors == 0));
    if (rc != 0)
        FUZZ_CHECK(a.count == 0);
    for (size_t i = 0; i < a.count; i++) {
        const bt_record *x = &a.items[i];
        int y, m, day;
        bt_time_ymd_from_day(x->day, &y, &m, &day);
        FUZZ_CHECK(bt_time_date_valid(y, m, day));
        FUZZ_CHECK(bt_target_channel_recorded(x->channel));
        FUZZ_CHECK(x->count >= 1 && x->count <= BT_MAX_RECORD_COUNT);
        FUZZ_CHECK(!x->note || strlen(x->note) <= BT_MAX_RECORD_NOTE_BYTES);
        FUZZ_CHECK(x->key && strlen(x->key) == 4 + 64 && x->source == BT_RECORD_FROM_CSV);
        FUZZ_CHECK(x->line >= 1);
    }
    bt_diags_free(&d);
    bt_diags_init(&d);
    FUZZ_CHECK(bt_records_csv_parse((const char *)data, size, NULL, &targets, &b, &d) == rc);
    FUZZ_CHECK(a.count == b.count);
    for (size_t i = 0; i < a.count; i++)
        FUZZ_CHECK(strcmp(a.items[i].key, b.items[i].key) == 0);
    bt_diags_free(&d);
    bt_records_free(&a);
    bt_records_free(&b);
    return 0;
}
