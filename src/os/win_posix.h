/* The POSIX file calls of the io and usb rooms, for the Windows build only: CMake force-includes
 * this header into every source of that build (-include), so the rooms keep their one spelling
 * and no #ifdef. The calls are implemented in win_posix.c over the wide-character API, which
 * takes every UTF-8 name (Vietnamese, NFC or NFD) whatever the PC's ANSI code page.
 *
 * What Windows lacks is emulated only as far as the rooms need it: a directory "fd" is an entry
 * in a table holding the folder's full path (openat, fstatat and fdopendir join names to it);
 * O_NOFOLLOW refuses a reparse point (a symlink or junction) as ELOOP; fsync is _commit
 * (FlushFileBuffers), and of a folder nothing; fadvise and writeback hints do nothing. Every
 * file is opened in binary mode. */
#ifndef BT_WIN_POSIX_H
#define BT_WIN_POSIX_H

/* The C library's own declarations first, so that the names below replace them everywhere. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <process.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* Flags the C library has no bits for: above every _O_ flag of msvcrt. */
#undef O_NOFOLLOW
#undef O_DIRECTORY
#undef O_CLOEXEC
#undef O_NONBLOCK
#define O_NOFOLLOW 0x01000000
#define O_DIRECTORY 0x02000000
#define O_CLOEXEC 0x04000000
#define O_NONBLOCK 0x08000000
#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR 0x200
#define F_GETFL 3
#define F_SETFL 4

#ifndef S_IFLNK
#define S_IFLNK 0xA000
#endif
#ifndef S_ISLNK
#define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)
#endif
#ifndef S_ISSOCK
#define S_ISSOCK(m) 0
#endif
#ifndef S_ISBLK
#define S_ISBLK(m) 0
#endif
#ifndef S_ISFIFO
#define S_ISFIFO(m) (((m) & S_IFMT) == _S_IFIFO)
#endif
#ifndef ELOOP
#define ELOOP 114
#endif
#ifndef EDQUOT
#define EDQUOT 10069
#endif
#ifndef ESTALE
#define ESTALE 10070
#endif
#ifndef ENOTCONN
#define ENOTCONN 126
#endif

struct bt_win_stat {
    unsigned st_mode;
    int64_t st_size;
};

struct bt_win_dirent {
    char d_name[260 * 3 + 1]; /* a Windows name is at most 260 UTF-16 units */
};

typedef struct bt_win_dir bt_win_dir;

int bt_win_open(const char *path, int flags, ...);
int bt_win_openat(int dirfd, const char *path, int flags, ...);
int bt_win_close(int fd);
int bt_win_fstat(int fd, struct bt_win_stat *st);
int bt_win_stat(const char *path, struct bt_win_stat *st);
int bt_win_lstat(const char *path, struct bt_win_stat *st);
int bt_win_fstatat(int dirfd, const char *path, struct bt_win_stat *st, int flags);
bt_win_dir *bt_win_fdopendir(int fd);
bt_win_dir *bt_win_opendir(const char *path);
struct bt_win_dirent *bt_win_readdir(bt_win_dir *d);
int bt_win_closedir(bt_win_dir *d);
int bt_win_dirfd(bt_win_dir *d);
int bt_win_mkdir(const char *path, int mode);
int bt_win_mkdirat(int dirfd, const char *path, int mode);
int bt_win_unlink(const char *path);
int bt_win_unlinkat(int dirfd, const char *path, int flags);
int bt_win_rmdir(const char *path);
int bt_win_rename(const char *from, const char *to);
int bt_win_fsync(int fd);
int bt_win_fcntl(int fd, int cmd, ...);
int64_t bt_win_pread(int fd, void *buf, size_t n, int64_t off);
int64_t bt_win_pwrite(int fd, const void *buf, size_t n, int64_t off);
char *bt_win_realpath(const char *path, char *resolved);
char *bt_win_strndup(const char *s, size_t n);
FILE *bt_win_fopen(const char *path, const char *mode);
/* A new folder from a name ending in XXXXXX, made by this process alone (CreateDirectoryW
 * refuses one that exists). */
char *bt_win_mkdtemp(char *templ);
/* For the rest of the platform layer (child_windows.c): UTF-8 → UTF-16, malloc'd (NULL with
 * errno), and the errno of a Windows error code. */
wchar_t *bt_win_widen(const char *s);
int bt_win_errno_of(unsigned long e);
/* Removes a variable from the process environment as SDL's Windows side reads it
 * (GetEnvironmentVariable): ui/offscreen.c restores SDL_VIDEODRIVER after a screenshot. */
int bt_win_unsetenv(const char *name);

#define open bt_win_open
#define openat bt_win_openat
#define close bt_win_close
#define stat bt_win_stat
#define fstat bt_win_fstat
#define lstat bt_win_lstat
#define fstatat bt_win_fstatat
#define DIR bt_win_dir
#define dirent bt_win_dirent
#define fdopendir bt_win_fdopendir
#define opendir bt_win_opendir
#define readdir bt_win_readdir
#define closedir bt_win_closedir
#define dirfd bt_win_dirfd
#define mkdir bt_win_mkdir
#define mkdirat bt_win_mkdirat
#define unlink bt_win_unlink
#define unlinkat bt_win_unlinkat
#define rmdir bt_win_rmdir
#define rename bt_win_rename
#define fsync bt_win_fsync
#define fdatasync bt_win_fsync
#define fcntl bt_win_fcntl
#define pread bt_win_pread
#define pwrite bt_win_pwrite
#define realpath bt_win_realpath
#define strndup bt_win_strndup
#define fopen bt_win_fopen
#define unsetenv bt_win_unsetenv
#define mkdtemp bt_win_mkdtemp
/* Hints and modes Windows has no use for: they do nothing. */
static inline int bt_win_nothing(int fd, int64_t a, int64_t b, int c)
{
    (void)fd;
    (void)a;
    (void)b;
    (void)c;
    return 0;
}
#define fchmod(fd, mode) bt_win_nothing((fd), 0, 0, (int)(mode))
#define posix_fadvise(fd, off, len, advice) bt_win_nothing((fd), (off), (len), (advice))
#define sync_file_range(fd, off, len, flags) bt_win_nothing((fd), (off), (len), (flags))
#define POSIX_FADV_SEQUENTIAL 2
#define SYNC_FILE_RANGE_WRITE 2

#endif
