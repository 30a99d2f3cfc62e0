/* <sys/mman.h> for the Windows build (the platform layer, docs/windows.md): mingw has none. Only
 * what the rooms use: a read-only private map of a whole file (ui/font.c maps the screen's
 * fonts), over CreateFileMapping/MapViewOfFile in win_posix.c. CMake puts this folder on the
 * include path of the Windows build only. */
#ifndef BT_WIN_SYS_MMAN_H
#define BT_WIN_SYS_MMAN_H

#include <stddef.h>
#include <stdint.h>

#define PROT_READ 0x1
#define MAP_PRIVATE 0x02
#define MAP_FAILED ((void *)-1)

/* Maps `length` bytes of fd from `offset` read-only; MAP_FAILED with errno on failure, or for
 * anything but PROT_READ with MAP_PRIVATE. */
void *bt_win_mmap(void *addr, size_t length, int prot, int flags, int fd, int64_t offset);
int bt_win_munmap(void *addr, size_t length);

#define mmap bt_win_mmap
#define munmap bt_win_munmap

#endif
