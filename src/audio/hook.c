/* Amplifier hooks: a staff-configured shell command run before and after a session (switch the
 * amplifier or the transmitter on and off). fork/exec rather than system(): the command gets its
 * own process group so a hung hook (and anything it started) can be killed at the timeout, and
 * no signal disposition of ours is touched. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bangtin/bt_diag.h"
#include "bangtin/bt_audio.h"
#include "bangtin/bt_vi.h"

/* How often the parent looks whether the hook has ended: short next to any timeout. */
#define HOOK_POLL_NS (5 * 1000 * 1000)
/* After SIGTERM, how long the hook gets to exit before SIGKILL. */
#define HOOK_TERM_GRACE_MS 300


static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits up to ms for pid; 1 and *status when it ended, 0 if still running, -1 on error. */
static int wait_for(pid_t pid, int64_t ms, int *status)
{
    int64_t until = now_ms() + ms;
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid)
            return 1;
        if (r < 0 && errno != EINTR)
            return -1;
        if (now_ms() >= until)
            return 0;
        struct timespec pause = {0, HOOK_POLL_NS};
        nanosleep(&pause, NULL);
    }
}

int bt_audio_run_hook(const char *command, int timeout_ms, char *err, size_t err_size)
{
    if (!command || !command[0]) {
        bt_set_error(err, err_size, "Lệnh rỗng.");
        return -1;
    }
    if (timeout_ms <= 0)
        timeout_ms = BT_AUDIO_DEFAULT_HOOK_TIMEOUT_MS;
    pid_t pid = fork();
    if (pid < 0) {
        bt_set_error(err, err_size, "Không chạy được lệnh “%s”: %s", command,
                     bt_vi_errno(errno).text);
        return -1;
    }
    if (pid == 0) {
        /* Child: only async-signal-safe calls until exec (the parent has threads). */
        setpgid(0, 0);
        int null_fd = open("/dev/null", O_RDONLY);
        if (null_fd >= 0) {
            dup2(null_fd, STDIN_FILENO);
            if (null_fd != STDIN_FILENO)
                close(null_fd);
        }
        closefrom(STDERR_FILENO + 1); /* the database, the audio device: not the hook's */
        execl("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid); /* also from the parent, so the group exists before any kill */

    int status = 0;
    int r = wait_for(pid, timeout_ms, &status);
    if (r == 0) {
        kill(-pid, SIGTERM);
        if (wait_for(pid, HOOK_TERM_GRACE_MS, &status) != 1) {
            kill(-pid, SIGKILL);
            waitpid(pid, &status, 0);
        }
        kill(-pid, SIGKILL); /* whatever the shell left behind in its group */
        bt_set_error(err, err_size, "Lệnh “%s” chạy quá %d ms nên đã bị dừng.", command, timeout_ms);
        return -1;
    }
    if (r < 0) {
        bt_set_error(err, err_size, "Không chờ được lệnh “%s”: %s", command,
                     bt_vi_errno(errno).text);
        return -1;
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    bt_set_error(err, err_size, "Lệnh “%s” bị dừng bởi tín hiệu %d.", command,
            WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return -1;
}
