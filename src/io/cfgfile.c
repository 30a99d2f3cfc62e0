/* Reads a libconfig file into a plain bt_node tree, so core can validate it without knowing
 * libconfig. This is where the file's bytes are first touched, so it enforces what libconfig
 * 1.5 does not: a size limit, no NUL bytes, a UTF-8 BOM stripped (Notepad writes one), no
 * @include (a USB stick must never make us read other files), a nesting limit, and a syntax
 * error reported in Vietnamese with file and line. */
#include "bangtin/bt_cfgfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libconfig.h>

#include "bangtin/bt_limits.h"
#include "bangtin/bt_text.h"
#include "bangtin/bt_vi.h"

/* Same as strdup, which -std=c11 does not declare everywhere. */
static char *copy_string(const char *s)
{
    size_t len = strlen(s);
    char *copy = malloc(len + 1);
    if (copy)
        memcpy(copy, s, len + 1);
    return copy;
}

/* libconfig's scanner takes `@include "file"` at the start of a line and opens that file
 * relative to the working directory, or absolute, even with an include dir set. libconfig 1.5
 * has no switch to turn that off, so any line starting with @include is refused before the
 * parse. This also refuses one inside a comment or multi-line string: harmless, and safer
 * than a second scanner that might disagree with libconfig's. Returns the 1-based line or 0. */
static int find_include_line(const char *text, size_t len)
{
    static const char directive[] = "@include";
    const size_t dlen = sizeof directive - 1;
    int line = 1;
    bool at_line_start = true;
    for (size_t i = 0; i < len; i++) {
        if (at_line_start) {
            size_t j = i;
            while (j < len && (text[j] == ' ' || text[j] == '\t'))
                j++;
            if (len - j >= dlen && strncasecmp(text + j, directive, dlen) == 0)
                return line;
            at_line_start = false;
        }
        if (text[i] == '\n') {
            line++;
            at_line_start = true;
        } else if (text[i] == '\r') {
            /* A lone CR (old Mac files) also starts a line for the check. */
            at_line_start = true;
            if (i + 1 < len && text[i + 1] == '\n')
                continue;
            line++;
        }
    }
    return 0;
}

/* Line of the first NUL byte (libconfig would silently stop reading there), or 0. */
static int find_nul_line(const char *text, size_t len)
{
    const char *nul = memchr(text, '\0', len);
    if (!nul)
        return 0;
    int line = 1;
    for (const char *p = text; p < nul; p++)
        if (*p == '\n')
            line++;
    return line;
}

/* Line where a string literal that runs over a line break (or to the end of the file) begins,
 * or 0. libconfig accepts such strings, but after a syntax error one almost always means a
 * missing closing quote, which libconfig reports only where the parse finally breaks (often the
 * end of the file). */
static int open_string_line(const char *text, size_t len)
{
    enum { NORMAL, STRING, LINE_COMMENT, BLOCK_COMMENT } state = NORMAL;
    int line = 1, start = 0;
    bool multiline = false;
    for (size_t i = 0; i < len; i++) {
        char ch = text[i], next = i + 1 < len ? text[i + 1] : '\0';
        switch (state) {
        case NORMAL:
            if (ch == '"') {
                state = STRING;
                start = line;
                multiline = false;
            } else if (ch == '#' || (ch == '/' && next == '/')) {
                state = LINE_COMMENT;
            } else if (ch == '/' && next == '*') {
                state = BLOCK_COMMENT;
                i++;
            }
            break;
        case STRING:
            if (ch == '\\' && next != '\n' && next != '\0') {
                i++; /* an escaped character, never a closing quote */
            } else if (ch == '"') {
                state = NORMAL;
                if (multiline)
                    return start;
            } else if (ch == '\n') {
                multiline = true;
            }
            break;
        case LINE_COMMENT:
            if (ch == '\n')
                state = NORMAL;
            break;
        case BLOCK_COMMENT:
            if (ch == '*' && next == '/') {
                state = NORMAL;
                i++;
            }
            break;
        }
        if (ch == '\n')
            line++;
    }
    return state == STRING ? start : 0;
}

/* Reports a libconfig parse failure in Vietnamese (libconfig's own text is English and stays
 * out of the message: bt_vi_config_error), with advice that fits it, so the staff member knows
 * what to look for. */
static void report_syntax_error(config_t *config, const char *text, size_t len,
                                const char *display_name, bt_diags *diags)
{
    const char *what = config_error_text(config);
    int line = config_error_line(config);
    if (!what)
        what = "syntax error";
    const char *vi = bt_vi_config_error(what);
    if (strstr(what, "duplicate")) {
        bt_diags_add(diags, BT_DIAG_ERROR, display_name, line,
                     "cú pháp không hợp lệ: %s — giữ lại một dòng, xoá dòng kia", vi);
        return;
    }
    if (strstr(what, "mismatched")) {
        bt_diags_add(diags, BT_DIAG_ERROR, display_name, line,
                     "cú pháp không hợp lệ: %s — một mảng chỉ được chứa các giá trị cùng kiểu, ví "
                     "dụ toàn chuỗi \"...\"",
                     vi);
        return;
    }
    if (strstr(what, "memory exhausted")) {
        /* bison's parser stack ran out: only a crafted or broken file nests this deep. */
        bt_diags_add(diags, BT_DIAG_ERROR, display_name, line,
                     "cú pháp không hợp lệ: %s — tệp này không đúng mẫu, hãy làm lại từ tệp mẫu",
                     vi);
        return;
    }
    /* Plain "syntax error" says nothing more than "cú pháp không hợp lệ"; anything else does. */
    bool plain = strcmp(what, "syntax error") == 0;
    int open_line = open_string_line(text, len);
    if (open_line > 0 && open_line <= line) {
        bt_diags_add(diags, BT_DIAG_ERROR, display_name, line,
                     "cú pháp không hợp lệ%s%s — có thể thiếu dấu \" đóng chuỗi bắt đầu ở dòng %d",
                     plain ? "" : ": ", plain ? "" : vi, open_line);
        return;
    }
    bt_diags_add(diags, BT_DIAG_ERROR, display_name, line,
                 "cú pháp không hợp lệ%s%s — kiểm tra dấu ; , ngoặc và dấu \" ở dòng này hoặc "
                 "dòng trên",
                 plain ? "" : ": ", plain ? "" : vi);
}

static int convert_setting(config_setting_t *setting, bt_node *node, int depth,
                           const char *display_name, bt_diags *diags);

/* Fills node's children from an aggregate setting (group, list or array). */
static int convert_children(config_setting_t *setting, bt_node *node, int depth,
                            const char *display_name, bt_diags *diags)
{
    int count = config_setting_length(setting);
    if (count <= 0)
        return 0;
    node->children = calloc((size_t)count, sizeof *node->children);
    if (!node->children) {
        bt_diags_add(diags, BT_DIAG_ERROR, display_name, node->line,
                     "không đủ bộ nhớ để đọc tệp — tệp quá lớn hoặc máy đang quá tải");
        return -1;
    }
    for (int i = 0; i < count; i++) {
        config_setting_t *child = config_setting_get_elem(setting, (unsigned)i);
        if (!child)
            return -1;
        /* Count first: on failure bt_node_clear frees exactly the children converted so far. */
        node->child_count++;
        if (convert_setting(child, &node->children[i], depth + 1, display_name, diags) != 0)
            return -1;
    }
    return 0;
}

/* Converts one libconfig setting (and its subtree) into node. */
static int convert_setting(config_setting_t *setting, bt_node *node, int depth,
                           const char *display_name, bt_diags *diags)
{
    memset(node, 0, sizeof *node);
    node->line = (int)config_setting_source_line(setting);
    const char *name = config_setting_name(setting);
    if (name) {
        node->name = copy_string(name);
        if (!node->name)
            goto no_memory;
    }
    if (depth > BT_MAX_CONFIG_DEPTH) {
        bt_diags_add(diags, BT_DIAG_ERROR, display_name, node->line,
                     "các nhóm lồng nhau quá sâu (quá %d cấp) — tệp này không đúng mẫu, hãy làm "
                     "lại từ tệp mẫu",
                     BT_MAX_CONFIG_DEPTH);
        return -1;
    }
    switch (config_setting_type(setting)) {
    case CONFIG_TYPE_GROUP:
        node->type = BT_NODE_GROUP;
        return convert_children(setting, node, depth, display_name, diags);
    case CONFIG_TYPE_LIST:
        node->type = BT_NODE_LIST;
        return convert_children(setting, node, depth, display_name, diags);
    case CONFIG_TYPE_ARRAY:
        node->type = BT_NODE_ARRAY;
        return convert_children(setting, node, depth, display_name, diags);
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        node->type = BT_NODE_INT;
        node->int_value = config_setting_get_int64(setting);
        return 0;
    case CONFIG_TYPE_FLOAT:
        node->type = BT_NODE_FLOAT;
        node->float_value = config_setting_get_float(setting);
        return 0;
    case CONFIG_TYPE_BOOL:
        node->type = BT_NODE_BOOL;
        node->bool_value = config_setting_get_bool(setting) != 0;
        return 0;
    case CONFIG_TYPE_STRING: {
        const char *value = config_setting_get_string(setting);
        node->type = BT_NODE_STRING;
        node->string_value = copy_string(value ? value : "");
        if (!node->string_value)
            goto no_memory;
        return 0;
    }
    default:
        bt_diags_add(diags, BT_DIAG_ERROR, display_name, node->line,
                     "giá trị không đọc được — hãy viết lại dòng này theo tệp mẫu");
        return -1;
    }
no_memory:
    bt_diags_add(diags, BT_DIAG_ERROR, display_name, node->line,
                 "không đủ bộ nhớ để đọc tệp — tệp quá lớn hoặc máy đang quá tải");
    return -1;
}

int bt_cfgfile_parse(const char *text, size_t len, const char *display_name, bt_node **out,
                     bt_diags *diags)
{
    config_t config;
    bt_node *root = NULL;
    char *copy = NULL;
    int rc = -1;

    *out = NULL;
    config_init(&config);
    if (!display_name)
        display_name = "(không tên)";
    if (len > BT_MAX_CONFIG_FILE_BYTES) {
        bt_diags_add(diags, BT_DIAG_ERROR, display_name, 0,
                     "tệp quá lớn (%zu byte, tối đa %d byte) — có thể đã chọn nhầm tệp", len,
                     BT_MAX_CONFIG_FILE_BYTES);
        goto done;
    }
    size_t bom = bt_text_bom_length(text, len);
    text += bom;
    len -= bom;

    int line = find_nul_line(text, len);
    if (line > 0) {
        bt_diags_add(diags, BT_DIAG_ERROR, display_name, line,
                     "tệp chứa ký tự NUL (byte 0) — đây không phải tệp văn bản; hãy lưu lại "
                     "bằng Notepad với bảng mã UTF-8");
        goto done;
    }
    line = find_include_line(text, len);
    if (line > 0) {
        bt_diags_add(diags, BT_DIAG_ERROR, display_name, line,
                     "không cho phép @include — hãy chép toàn bộ nội dung vào một tệp duy nhất");
        goto done;
    }

    /* config_read_string needs a NUL-terminated copy (the caller's text need not be). */
    copy = malloc(len + 1);
    if (!copy) {
        bt_diags_add(diags, BT_DIAG_ERROR, display_name, 0,
                     "không đủ bộ nhớ để đọc tệp — tệp quá lớn hoặc máy đang quá tải");
        goto done;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    if (config_read_string(&config, copy) != CONFIG_TRUE) {
        report_syntax_error(&config, copy, len, display_name, diags);
        goto done;
    }

    root = calloc(1, sizeof *root);
    if (!root) {
        bt_diags_add(diags, BT_DIAG_ERROR, display_name, 0,
                     "không đủ bộ nhớ để đọc tệp — tệp quá lớn hoặc máy đang quá tải");
        goto done;
    }
    if (convert_setting(config_root_setting(&config), root, 0, display_name, diags) != 0)
        goto done;
    root->line = 0; /* the root is the whole file, not a line */
    *out = root;
    root = NULL;
    rc = 0;
done:
    bt_node_destroy(root);
    free(copy);
    config_destroy(&config);
    return rc;
}

/* A short Vietnamese reason for a failed open or read. */
static const char *errno_vi(int err)
{
    switch (err) {
    case ENOENT:
    case ENOTDIR:
        return "không tìm thấy tệp — kiểm tra tên tệp và thư mục";
    case EACCES:
    case EPERM:
        return "không có quyền đọc tệp";
    case EISDIR:
        return "đây là một thư mục, không phải tệp";
    case ELOOP:
        return "tệp là một liên kết (lối tắt), không được phép";
    default:
        return NULL;
    }
}

static void add_errno(bt_diags *diags, const char *name, int err)
{
    const char *reason = errno_vi(err);
    if (reason)
        bt_diags_add(diags, BT_DIAG_ERROR, name, 0, "không đọc được tệp \"%s\": %s", name,
                     reason);
    else
        bt_diags_add(diags, BT_DIAG_ERROR, name, 0,
                     "không đọc được tệp \"%s\": %s — thử cắm lại USB hoặc chép lại tệp", name,
                     bt_vi_errno(err).text);
}

int bt_cfgfile_read(const char *path, const char *display_name, bt_node **out, bt_diags *diags)
{
    int fd = -1, rc = -1;
    char *buf = NULL;
    const char *name = display_name ? display_name : path;

    *out = NULL;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        add_errno(diags, name, errno);
        goto done;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        add_errno(diags, name, errno);
        goto done;
    }
    if (S_ISDIR(st.st_mode)) {
        add_errno(diags, name, EISDIR);
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        bt_diags_add(diags, BT_DIAG_ERROR, name, 0,
                     "không đọc được \"%s\": đây không phải một tệp thông thường", name);
        goto done;
    }
    if (st.st_size > BT_MAX_CONFIG_FILE_BYTES) {
        bt_diags_add(diags, BT_DIAG_ERROR, name, 0,
                     "tệp quá lớn (%lld byte, tối đa %d byte) — có thể đã chọn nhầm tệp",
                     (long long)st.st_size, BT_MAX_CONFIG_FILE_BYTES);
        goto done;
    }
    /* Read up to one byte past the limit: the size may change between fstat and read. */
    buf = malloc((size_t)BT_MAX_CONFIG_FILE_BYTES + 1);
    if (!buf) {
        bt_diags_add(diags, BT_DIAG_ERROR, name, 0,
                     "không đủ bộ nhớ để đọc tệp — máy đang quá tải");
        goto done;
    }
    size_t len = 0;
    while (len <= (size_t)BT_MAX_CONFIG_FILE_BYTES) {
        ssize_t got = read(fd, buf + len, (size_t)BT_MAX_CONFIG_FILE_BYTES + 1 - len);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            add_errno(diags, name, errno);
            goto done;
        }
        if (got == 0)
            break;
        len += (size_t)got;
    }
    rc = bt_cfgfile_parse(buf, len, name, out, diags);
done:
    free(buf);
    if (fd >= 0)
        close(fd);
    return rc;
}
