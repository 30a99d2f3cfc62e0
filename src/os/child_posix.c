/* See bt_child.h. posix_spawn rather than fork: the kiosk holds an SDL window and a GL context,
 * which a fork would copy for nothing. */
#include "bangtin/bt_child.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads fd until EOF or the deadline; bytes read, or -1 on timeout. */
static ssize_t read_answer(int fd, char *buf, size_t size, int64_t deadline)
{
    size_t n = 0;
    while (n + 1 < size) {
        int left = (int)(deadline - now_ms());
        if (left <= 0)
            return -1;
        struct pollfd pfd = {fd, POLLIN, 0};
        int r = poll(&pfd, 1, left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        ssize_t got = read(fd, buf + n, size - 1 - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        n += (size_t)got;
    }
    buf[n] = '\0';
    return (ssize_t)n;
}

/* Sends all of text to fd; a child that died early is an error, not a SIGPIPE in the kiosk. */
static int send_all(int fd, const char *text)
{
    size_t len = strlen(text), done = 0;
    while (done < len) {
        ssize_t w = send(fd, text + done, len - done, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        done += (size_t)w;
    }
    return 0;
}

static void close_pair(int fds[2])
{
    if (fds[0] >= 0)
        close(fds[0]);
    if (fds[1] >= 0)
        close(fds[1]);
}

int bt_child_run(const char *exe, char *const argv[], char *const envp[], const char *input,
                 int timeout_ms, char *answer, size_t size, bt_child_result *res)
{
    int in[2] = {-1, -1}, out[2] = {-1, -1};
    memset(res, 0, sizeof *res);
    if (size > 0)
        answer[0] = '\0';
    /* A socket for stdin (send with MSG_NOSIGNAL); a pipe for the answer. */
    if ((input && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0) ||
        pipe(out) != 0) {
        res->outcome = BT_CHILD_SPAWN_FAILED;
        res->error_number = errno;
        close_pair(in);
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (input)
        posix_spawn_file_actions_adddup2(&fa, in[1], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    pid_t pid;
    int rc = posix_spawn(&pid, exe, &fa, NULL, argv, envp ? envp : environ);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    if (input)
        close(in[1]);
    if (rc != 0) {
        close(out[0]);
        if (input)
            close(in[0]);
        res->outcome = BT_CHILD_SPAWN_FAILED;
        res->error_number = rc;
        return -1;
    }
    res->pid = pid;
    int64_t deadline = now_ms() + timeout_ms;
    if (input) {
        send_all(in[0], input); /* a child that does not read it answers an error, or times out */
        shutdown(in[0], SHUT_WR);
    }
    ssize_t n = read_answer(out[0], answer, size, deadline);
    close(out[0]);
    if (input)
        close(in[0]);
    if (n < 0)
        kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (n < 0) {
        res->outcome = BT_CHILD_TIMED_OUT;
        return -1;
    }
    if (WIFSIGNALED(status)) {
        res->outcome = BT_CHILD_SIGNALED;
        res->signal_number = WTERMSIG(status);
        return -1;
    }
    res->outcome = BT_CHILD_ANSWERED;
    return 0;
}
