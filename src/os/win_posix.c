/* The POSIX file calls of the io and usb rooms on Windows (win_posix.h says what and why).
 * Paths arrive in UTF-8 with '/' or '\'; each is joined to its directory fd's folder, made
 * native (bt_winpath), widened, made absolute, and given the "\\?\" prefix when long. */
#include <windows.h>

#include <errno.h>
#include <io.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h> /* win_include/sys/mman.h */

#include "bangtin/bt_winpath.h"

/* Directory fds live above every C runtime fd; the staff tools hold a few at a time (one per
 * level of a walk, BT_MAX_PACKAGE_DEPTH). */
#define DIRFD_BASE 0x40000000
#define DIRFD_MAX 256
/* UTF-8 paths the platform layer builds: the rooms' own limit is BT_MAX_PATH_BYTES (4096). */
#define PATH_BYTES 8192
/* Below MAX_PATH (260) with room for "\*" and a 12-character 8.3 name. */
#define SHORT_PATH 240

static char *dir_paths[DIRFD_MAX]; /* UTF-8, absolute, without "\\?\" */

static int fail(int err)
{
    errno = err;
    return -1;
}

int bt_win_errno_of(unsigned long e)
{
    switch (e) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
    case ERROR_INVALID_DRIVE:
    case ERROR_BAD_NETPATH:
    case ERROR_BAD_NET_NAME:
        return ENOENT;
    case ERROR_ACCESS_DENIED:
    case ERROR_SHARING_VIOLATION:
    case ERROR_LOCK_VIOLATION:
        return EACCES;
    case ERROR_ALREADY_EXISTS:
    case ERROR_FILE_EXISTS:
        return EEXIST;
    case ERROR_DIR_NOT_EMPTY:
        return ENOTEMPTY;
    case ERROR_DISK_FULL:
    case ERROR_HANDLE_DISK_FULL:
        return ENOSPC;
    case ERROR_WRITE_PROTECT:
        return EROFS;
    case ERROR_FILENAME_EXCED_RANGE:
        return ENAMETOOLONG;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
        return ENOMEM;
    case ERROR_INVALID_NAME:
    case ERROR_DIRECTORY:
        return EINVAL;
    case ERROR_NOT_READY:
    case ERROR_DEVICE_NOT_CONNECTED:
        return ENODEV;
    default:
        return EIO;
    }
}

/* UTF-8 → UTF-16, malloc'd; NULL with errno (EINVAL for bytes that are not UTF-8). */
wchar_t *bt_win_widen(const char *s)
{
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
    if (n <= 0) {
        errno = EINVAL;
        return NULL;
    }
    wchar_t *w = malloc((size_t)n * sizeof *w);
    if (!w) {
        errno = ENOMEM;
        return NULL;
    }
    MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n);
    return w;
}

/* UTF-16 → UTF-8 into out; -1 (EINVAL) for an unpaired surrogate or a name too long. */
static int narrow(const wchar_t *w, char *out, size_t size)
{
    int n = WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, w, -1, out, (int)size, NULL,
                                NULL);
    return n > 0 ? 0 : fail(EINVAL);
}

static bool is_dirfd(int fd)
{
    return fd >= DIRFD_BASE && fd < DIRFD_BASE + DIRFD_MAX && dir_paths[fd - DIRFD_BASE];
}

/* The absolute wide path of path under dirfd: *full without a prefix (what a directory fd
 * keeps), the return value with "\\?\" when it is long. Both malloc'd; NULL with errno. */
static wchar_t *wide_path(int dirfd, const char *path, wchar_t **full)
{
    char joined[PATH_BYTES];
    *full = NULL;
    if (dirfd != AT_FDCWD && !bt_winpath_is_absolute(path)) {
        if (!is_dirfd(dirfd)) {
            errno = EBADF;
            return NULL;
        }
        if (bt_winpath_join(dir_paths[dirfd - DIRFD_BASE], path, joined, sizeof joined) != 0)
            return NULL;
    } else if (bt_winpath_normalize(path, joined, sizeof joined) != 0) {
        return NULL;
    }
    wchar_t *w = bt_win_widen(joined);
    if (!w)
        return NULL;
    DWORD n = GetFullPathNameW(w, 0, NULL, NULL);
    wchar_t *abs = n ? malloc((n + 8) * sizeof *abs) : NULL;
    if (!abs || GetFullPathNameW(w, n, abs, NULL) == 0) {
        free(w);
        free(abs);
        errno = n ? ENOMEM : ENOENT;
        return NULL;
    }
    free(w);
    *full = abs;
    size_t len = wcslen(abs);
    if (len < SHORT_PATH || wcsncmp(abs, L"\\\\?\\", 4) == 0)
        return _wcsdup(abs);
    bool unc = abs[0] == L'\\' && abs[1] == L'\\';
    wchar_t *prefixed = malloc((len + 16) * sizeof *prefixed);
    if (!prefixed) {
        errno = ENOMEM;
        return NULL;
    }
    if (unc)
        swprintf(prefixed, len + 16, L"\\\\?\\UNC\\%ls", abs + 2);
    else
        swprintf(prefixed, len + 16, L"\\\\?\\%ls", abs);
    return prefixed;
}

static int new_dirfd(const wchar_t *full)
{
    char utf8[PATH_BYTES];
    if (narrow(full, utf8, sizeof utf8) != 0)
        return -1;
    for (int i = 0; i < DIRFD_MAX; i++) {
        if (!dir_paths[i]) {
            if (!(dir_paths[i] = _strdup(utf8)))
                return fail(ENOMEM);
            return DIRFD_BASE + i;
        }
    }
    return fail(EMFILE);
}

int bt_win_openat(int dirfd, const char *path, int flags, ...)
{
    int mode = 0;
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, int);
        va_end(ap);
    }
    (void)mode; /* Windows files have no POSIX modes; the key's folder is the user's own */
    wchar_t *full = NULL, *w = wide_path(dirfd, path, &full);
    if (!w)
        return -1;
    int rc = -1;
    DWORD attrs = GetFileAttributesW(w);
    if (attrs == INVALID_FILE_ATTRIBUTES && !(flags & O_CREAT)) {
        rc = fail(bt_win_errno_of(GetLastError()));
    } else if (attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_REPARSE_POINT) &&
               (flags & O_NOFOLLOW)) {
        rc = fail(ELOOP); /* a symlink or junction, as O_NOFOLLOW refuses a symlink */
    } else if (attrs != INVALID_FILE_ATTRIBUTES && (flags & O_CREAT) && (flags & O_EXCL)) {
        rc = fail(EEXIST);
    } else if (attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY)) {
        rc = (flags & (O_WRONLY | O_RDWR)) ? fail(EISDIR) : new_dirfd(full);
    } else if (flags & O_DIRECTORY) {
        rc = fail(ENOTDIR);
    } else {
        int crt = flags & (O_RDONLY | O_WRONLY | O_RDWR | O_CREAT | O_EXCL | O_TRUNC | O_APPEND);
        rc = _wopen(w, crt | _O_BINARY | _O_NOINHERIT, _S_IREAD | _S_IWRITE);
    }
    free(w);
    free(full);
    return rc;
}

int bt_win_open(const char *path, int flags, ...)
{
    int mode = 0;
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, int);
        va_end(ap);
    }
    return bt_win_openat(AT_FDCWD, path, flags, mode);
}

int bt_win_close(int fd)
{
    if (is_dirfd(fd)) {
        free(dir_paths[fd - DIRFD_BASE]);
        dir_paths[fd - DIRFD_BASE] = NULL;
        return 0;
    }
    return _close(fd);
}

int bt_win_fstat(int fd, struct bt_win_stat *st)
{
    memset(st, 0, sizeof *st);
    if (is_dirfd(fd)) {
        st->st_mode = _S_IFDIR;
        return 0;
    }
    struct _stati64 s;
    if (_fstati64(fd, &s) != 0)
        return -1;
    st->st_mode = s.st_mode;
    st->st_size = s.st_size;
    return 0;
}

int bt_win_fstatat(int dirfd, const char *path, struct bt_win_stat *st, int flags)
{
    WIN32_FILE_ATTRIBUTE_DATA a;
    wchar_t *full = NULL, *w = wide_path(dirfd, path, &full);
    memset(st, 0, sizeof *st);
    if (!w)
        return -1;
    BOOL ok = GetFileAttributesExW(w, GetFileExInfoStandard, &a);
    DWORD e = GetLastError();
    free(w);
    free(full);
    if (!ok)
        return fail(bt_win_errno_of(e));
    if ((a.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) && (flags & AT_SYMLINK_NOFOLLOW))
        st->st_mode = S_IFLNK;
    else if (a.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
        st->st_mode = _S_IFDIR;
    else
        st->st_mode = _S_IFREG;
    st->st_size = (int64_t)(((uint64_t)a.nFileSizeHigh << 32) | a.nFileSizeLow);
    return 0;
}

int bt_win_stat(const char *path, struct bt_win_stat *st)
{
    return bt_win_fstatat(AT_FDCWD, path, st, 0);
}

int bt_win_lstat(const char *path, struct bt_win_stat *st)
{
    return bt_win_fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

struct bt_win_dir {
    int fd;
    HANDLE find;
    WIN32_FIND_DATAW data;
    bool pending; /* data holds an entry not yet returned */
    struct bt_win_dirent entry;
};

bt_win_dir *bt_win_fdopendir(int fd)
{
    if (!is_dirfd(fd)) {
        errno = EBADF;
        return NULL;
    }
    char pattern[PATH_BYTES];
    wchar_t *full = NULL, *w = NULL;
    bt_win_dir *d = calloc(1, sizeof *d);
    if (!d || bt_winpath_join(dir_paths[fd - DIRFD_BASE], "*", pattern, sizeof pattern) != 0 ||
        !(w = wide_path(AT_FDCWD, pattern, &full))) {
        if (!d)
            errno = ENOMEM;
        free(d);
        return NULL;
    }
    d->fd = fd;
    d->find = FindFirstFileW(w, &d->data);
    DWORD e = GetLastError();
    free(w);
    free(full);
    if (d->find == INVALID_HANDLE_VALUE && e != ERROR_FILE_NOT_FOUND) {
        free(d);
        errno = bt_win_errno_of(e);
        return NULL;
    }
    d->pending = d->find != INVALID_HANDLE_VALUE;
    return d;
}

bt_win_dir *bt_win_opendir(const char *path)
{
    int fd = bt_win_open(path, O_RDONLY | O_DIRECTORY);
    bt_win_dir *d = fd < 0 ? NULL : bt_win_fdopendir(fd);
    if (fd >= 0 && !d)
        bt_win_close(fd);
    return d;
}

struct bt_win_dirent *bt_win_readdir(bt_win_dir *d)
{
    while (d->pending) {
        d->pending = false;
        bool ok = narrow(d->data.cFileName, d->entry.d_name, sizeof d->entry.d_name) == 0;
        if (FindNextFileW(d->find, &d->data))
            d->pending = true;
        else if (GetLastError() != ERROR_NO_MORE_FILES)
            errno = EIO;
        if (ok)
            return &d->entry;
        /* A name that is not valid UTF-16 has no UTF-8 spelling: shown as such, never read. */
        snprintf(d->entry.d_name, sizeof d->entry.d_name, "?");
        return &d->entry;
    }
    return NULL;
}

int bt_win_closedir(bt_win_dir *d)
{
    if (d->find != INVALID_HANDLE_VALUE)
        FindClose(d->find);
    bt_win_close(d->fd);
    free(d);
    return 0;
}

int bt_win_dirfd(bt_win_dir *d)
{
    return d->fd;
}

int bt_win_mkdirat(int dirfd, const char *path, int mode)
{
    (void)mode;
    wchar_t *full = NULL, *w = wide_path(dirfd, path, &full);
    if (!w)
        return -1;
    BOOL ok = CreateDirectoryW(w, NULL);
    DWORD e = GetLastError();
    free(w);
    free(full);
    return ok ? 0 : fail(bt_win_errno_of(e));
}

int bt_win_mkdir(const char *path, int mode)
{
    return bt_win_mkdirat(AT_FDCWD, path, mode);
}

char *bt_win_mkdtemp(char *templ)
{
    size_t len = strlen(templ);
    if (len < 6 || strcmp(templ + len - 6, "XXXXXX") != 0) {
        errno = EINVAL;
        return NULL;
    }
    static const char letters[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    unsigned seed = (unsigned)GetTickCount() ^ ((unsigned)GetCurrentProcessId() << 16);
    for (int attempt = 0; attempt < 100; attempt++) {
        for (size_t i = len - 6; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            templ[i] = letters[(seed >> 16) % (sizeof letters - 1)];
        }
        /* CreateDirectoryW fails on a name that exists: the folder is ours alone. */
        if (bt_win_mkdir(templ, 0700) == 0)
            return templ;
        if (errno != EEXIST)
            return NULL;
    }
    return NULL;
}

int bt_win_unlinkat(int dirfd, const char *path, int flags)
{
    wchar_t *full = NULL, *w = wide_path(dirfd, path, &full);
    if (!w)
        return -1;
    DWORD attrs = GetFileAttributesW(w);
    BOOL ok = FALSE;
    DWORD e = 0;
    bool dir = attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY);
    if (attrs == INVALID_FILE_ATTRIBUTES) {
        e = GetLastError();
    } else if (dir != ((flags & AT_REMOVEDIR) != 0)) {
        free(w);
        free(full);
        return fail(dir ? EISDIR : ENOTDIR);
    } else {
        ok = dir ? RemoveDirectoryW(w) : DeleteFileW(w);
        e = GetLastError();
    }
    free(w);
    free(full);
    return ok ? 0 : fail(bt_win_errno_of(e));
}

int bt_win_unlink(const char *path)
{
    return bt_win_unlinkat(AT_FDCWD, path, 0);
}

int bt_win_rmdir(const char *path)
{
    return bt_win_unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

int bt_win_rename(const char *from, const char *to)
{
    wchar_t *ffull = NULL, *tfull = NULL;
    wchar_t *f = wide_path(AT_FDCWD, from, &ffull), *t = f ? wide_path(AT_FDCWD, to, &tfull) : NULL;
    BOOL ok = f && t && MoveFileExW(f, t, MOVEFILE_WRITE_THROUGH);
    DWORD e = GetLastError();
    int saved = errno;
    free(f);
    free(t);
    free(ffull);
    free(tfull);
    if (!f || !t)
        return fail(saved);
    return ok ? 0 : fail(bt_win_errno_of(e));
}

int bt_win_fsync(int fd)
{
    /* A folder's entries are written with it by NTFS and FAT alike: nothing to flush. */
    if (is_dirfd(fd))
        return 0;
    return _commit(fd);
}

int bt_win_fcntl(int fd, int cmd, ...)
{
    (void)fd;
    (void)cmd; /* only O_NONBLOCK is ever asked about, and Windows files have none */
    return 0;
}

int64_t bt_win_pread(int fd, void *buf, size_t n, int64_t off)
{
    if (_lseeki64(fd, off, SEEK_SET) < 0)
        return -1;
    return _read(fd, buf, n > 0x7fffffff ? 0x7fffffff : (unsigned)n);
}

int64_t bt_win_pwrite(int fd, const void *buf, size_t n, int64_t off)
{
    if (_lseeki64(fd, off, SEEK_SET) < 0)
        return -1;
    return _write(fd, buf, n > 0x7fffffff ? 0x7fffffff : (unsigned)n);
}

char *bt_win_realpath(const char *path, char *resolved)
{
    wchar_t *full = NULL, *w = wide_path(AT_FDCWD, path, &full);
    char utf8[PATH_BYTES];
    if (!w)
        return NULL;
    DWORD attrs = GetFileAttributesW(w);
    DWORD e = GetLastError();
    int rc = attrs == INVALID_FILE_ATTRIBUTES ? fail(bt_win_errno_of(e)) : narrow(full, utf8, sizeof utf8);
    free(w);
    free(full);
    if (rc != 0)
        return NULL;
    if (resolved) {
        snprintf(resolved, MAX_PATH, "%s", utf8);
        return resolved;
    }
    char *copy = _strdup(utf8);
    if (!copy)
        errno = ENOMEM;
    return copy;
}

char *bt_win_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *copy = malloc(len + 1);
    if (!copy) {
        errno = ENOMEM;
        return NULL;
    }
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

FILE *bt_win_fopen(const char *path, const char *mode)
{
    wchar_t *full = NULL, *w = wide_path(AT_FDCWD, path, &full), *wmode = bt_win_widen(mode);
    FILE *f = w && wmode ? _wfopen(w, wmode) : NULL;
    int saved = errno;
    free(w);
    free(full);
    free(wmode);
    errno = saved;
    return f;
}

/* A read-only view of an open file (sys/mman.h's mmap for the fonts). The mapping object can be
 * closed at once: the view keeps it alive until UnmapViewOfFile. */
void *bt_win_mmap(void *addr, size_t length, int prot, int flags, int fd, int64_t offset)
{
    (void)addr;
    if (prot != PROT_READ || flags != MAP_PRIVATE || length == 0 || offset < 0) {
        errno = EINVAL;
        return MAP_FAILED;
    }
    intptr_t os_handle = _get_osfhandle(fd);
    if (os_handle == -1) {
        errno = EBADF;
        return MAP_FAILED;
    }
    HANDLE mapping = CreateFileMappingW((HANDLE)os_handle, NULL, PAGE_READONLY, 0, 0, NULL);
    if (!mapping) {
        errno = EACCES;
        return MAP_FAILED;
    }
    void *view = MapViewOfFile(mapping, FILE_MAP_READ, (DWORD)((uint64_t)offset >> 32),
                               (DWORD)((uint64_t)offset & 0xFFFFFFFFu), length);
    CloseHandle(mapping);
    if (!view) {
        errno = ENOMEM;
        return MAP_FAILED;
    }
    return view;
}

int bt_win_munmap(void *addr, size_t length)
{
    (void)length;
    return UnmapViewOfFile(addr) ? 0 : -1;
}

int bt_win_unsetenv(const char *name)
{
    /* Both copies: the C runtime's (getenv) and the process's (SDL_getenv on Windows). */
    _putenv_s(name, "");
    return SetEnvironmentVariableA(name, NULL) || GetLastError() == ERROR_ENVVAR_NOT_FOUND ? 0
                                                                                             : -1;
}
