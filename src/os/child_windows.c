/* See bt_child.h: the Windows side, over CreateProcessW. bangtin.exe on the office PC speaks a
 * playlist's text bulletins in a child as the appliance does (check, pack), so a synthesiser or
 * decoder that crashes or hangs on a file costs that item, not the command.
 *
 * What differs from POSIX, and how it is made to read the same to the caller:
 * - no signals: a process killed by an unhandled exception ends with its NTSTATUS as exit code
 *   (0xC0000005 an access violation …); those are BT_CHILD_SIGNALED with the POSIX signal of the
 *   same fault (SIGSEGV, SIGILL, SIGFPE; abort()'s exit code 3 is SIGABRT), so messages name
 *   the same number on both systems;
 * - no poll on a pipe: the answer is read by a loop that peeks at the pipe and waits on the
 *   process in short steps until the deadline;
 * - the input is written by a thread of its own, so a child that does not read it cannot block
 *   the caller past the deadline (anonymous pipes have no non-blocking write);
 * - the command line is one string: each argument quoted as the C runtime parses it back. */
#include <windows.h>

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "bangtin/bt_child.h"

/* abort() in mingw's C runtime ends the process with this exit code. */
#define ABORT_EXIT_CODE 3u
/* The signals' numbers on the appliance (Linux), which the messages name: the C runtime's
 * own differ (its SIGABRT is 22). */
#define POSIX_SIGILL 4
#define POSIX_SIGABRT 6
#define POSIX_SIGFPE 8
#define POSIX_SIGSEGV 11
/* How long one wait for the child lasts while nothing is in the pipe. */
#define STEP_MS 10

/* Appends arg to cmd (at *len) quoted so that CommandLineToArgvW and the C runtime read it
 * back unchanged: backslashes are literal unless they precede a quote. */
static void append_quoted(wchar_t *cmd, size_t *len, const wchar_t *arg)
{
    cmd[(*len)++] = L'"';
    for (const wchar_t *p = arg;; p++) {
        size_t slashes = 0;
        while (*p == L'\\') {
            slashes++;
            p++;
        }
        if (*p == L'\0') {
            for (size_t i = 0; i < slashes * 2; i++) /* before the closing quote */
                cmd[(*len)++] = L'\\';
            break;
        }
        if (*p == L'"') {
            for (size_t i = 0; i < slashes * 2 + 1; i++)
                cmd[(*len)++] = L'\\';
        } else {
            for (size_t i = 0; i < slashes; i++)
                cmd[(*len)++] = L'\\';
        }
        cmd[(*len)++] = *p;
    }
    cmd[(*len)++] = L'"';
}

/* The command line of argv, malloc'd; NULL when an argument is not UTF-8 or out of memory. */
static wchar_t *command_line(char *const argv[])
{
    size_t cap = 1, len = 0;
    wchar_t *cmd = NULL;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; argv[i]; i++) {
            wchar_t *w = bt_win_widen(argv[i]);
            if (!w) {
                free(cmd);
                return NULL;
            }
            if (pass == 0) {
                cap += wcslen(w) * 2 + 3; /* every character escaped at worst, quotes, space */
            } else {
                if (len)
                    cmd[len++] = L' ';
                append_quoted(cmd, &len, w);
            }
            free(w);
        }
        if (pass == 0 && !(cmd = malloc(cap * sizeof *cmd)))
            return NULL;
    }
    cmd[len] = L'\0';
    return cmd;
}

/* One NAME=value of envp in UTF-16. The C runtime's environ (where envp's entries come from) is
 * in the ANSI code page, which cannot hold every letter: "Tài liệu phường" in a variable a .bat
 * set reads "T\xe0i li?u phu?ng" there. An entry the caller kept as it was is therefore taken
 * from the process's wide environment, exactly; one it changed is its own UTF-8 (or ANSI). */
static wchar_t *entry_wide(const char *entry)
{
    const char *eq = strchr(entry, '=');
    char name[512];
    size_t n = eq ? (size_t)(eq - entry) : 0;
    if (n > 0 && n < sizeof name) {
        memcpy(name, entry, n);
        name[n] = '\0';
        const char *narrow = getenv(name);
        wchar_t *wname = narrow && strcmp(narrow, eq + 1) == 0 ? bt_win_widen(name) : NULL;
        DWORD len = wname ? GetEnvironmentVariableW(wname, NULL, 0) : 0;
        wchar_t *w = len > 0 ? malloc((n + 1 + len) * sizeof *w) : NULL;
        if (w) {
            size_t wn = wcslen(wname);
            memcpy(w, wname, wn * sizeof *w);
            w[wn] = L'=';
            if (GetEnvironmentVariableW(wname, w + wn + 1, len) + 1 == len) {
                free(wname);
                return w;
            }
            free(w);
        }
        free(wname);
    }
    wchar_t *w = bt_win_widen(entry);
    if (!w) { /* not UTF-8: the runtime's ANSI */
        int len = MultiByteToWideChar(CP_ACP, 0, entry, -1, NULL, 0);
        w = len > 0 ? malloc((size_t)len * sizeof *w) : NULL;
        if (w)
            MultiByteToWideChar(CP_ACP, 0, entry, -1, w, len);
    }
    return w;
}

/* envp as CreateProcessW's block: NAME=value strings, each NUL-ended, then one more NUL. */
static wchar_t *environment_block(char *const envp[])
{
    size_t total = 1;
    wchar_t **w = calloc(1, sizeof *w);
    size_t n = 0;
    for (; w && envp[n]; n++) {
        wchar_t **grown = realloc(w, (n + 2) * sizeof *w);
        if (!grown || !(grown[n] = entry_wide(envp[n]))) {
            w = grown;
            goto fail;
        }
        w = grown;
        total += wcslen(w[n]) + 1;
    }
    if (!w)
        return NULL;
    wchar_t *block = malloc(total * sizeof *block), *p = block;
    for (size_t i = 0; block && i < n; i++) {
        size_t len = wcslen(w[i]) + 1;
        memcpy(p, w[i], len * sizeof *p);
        p += len;
    }
    if (block)
        *p = L'\0';
    for (size_t i = 0; i < n; i++)
        free(w[i]);
    free(w);
    return block;
fail:
    for (size_t i = 0; w && i < n; i++)
        free(w[i]);
    free(w);
    return NULL;
}

/* The appliance's signal of the fault an exit code reports, 0 for an ordinary exit. */
static int signal_of(DWORD code)
{
    switch (code) {
    case EXCEPTION_ACCESS_VIOLATION:
    case EXCEPTION_IN_PAGE_ERROR:
    case EXCEPTION_STACK_OVERFLOW:
    case EXCEPTION_ARRAY_BOUNDS_EXCEEDED:
    case EXCEPTION_DATATYPE_MISALIGNMENT:
        return POSIX_SIGSEGV;
    case EXCEPTION_ILLEGAL_INSTRUCTION:
    case EXCEPTION_PRIV_INSTRUCTION:
        return POSIX_SIGILL;
    case EXCEPTION_INT_DIVIDE_BY_ZERO:
    case EXCEPTION_INT_OVERFLOW:
    case EXCEPTION_FLT_DIVIDE_BY_ZERO:
    case EXCEPTION_FLT_INVALID_OPERATION:
    case EXCEPTION_FLT_OVERFLOW:
        return POSIX_SIGFPE;
    case ABORT_EXIT_CODE:
        return POSIX_SIGABRT;
    default:
        /* Any other NTSTATUS error (0xC…): the process did not end by itself. */
        return (code & 0xC0000000u) == 0xC0000000u ? POSIX_SIGSEGV : 0;
    }
}

/* The input and the pipe, the writer thread's own (malloc'd, freed by it): a write the child
 * never reads may outlive this call. */
typedef struct {
    HANDLE pipe;
    char text[];
} writer;

/* How long the writer is given to end once its write was cancelled. */
#define WRITER_END_MS 2000

static DWORD WINAPI write_input(void *arg)
{
    writer *w = arg;
    size_t len = strlen(w->text), done = 0;
    while (done < len) {
        DWORD wrote = 0, chunk = len - done > 65536 ? 65536 : (DWORD)(len - done);
        if (!WriteFile(w->pipe, w->text + done, chunk, &wrote, NULL) || wrote == 0)
            break; /* the child died or closed its stdin: it answers an error, or times out */
        done += wrote;
    }
    CloseHandle(w->pipe); /* the child's end-of-input */
    free(w);
    return 0;
}

/* Reads the pipe until EOF (every writer gone) or the deadline; bytes read, or -1 on timeout. */
static long read_answer(HANDLE pipe, HANDLE process, char *buf, size_t size, ULONGLONG deadline)
{
    size_t n = 0;
    for (;;) {
        DWORD avail = 0;
        if (!PeekNamedPipe(pipe, NULL, 0, NULL, &avail, NULL))
            break; /* broken pipe: the child and every copy of its stdout are gone */
        if (avail > 0) {
            char scratch[4096];
            char *to = n + 1 < size ? buf + n : scratch; /* past size: read and drop */
            DWORD room = n + 1 < size ? (DWORD)(size - 1 - n) : (DWORD)sizeof scratch, got = 0;
            if (room > avail)
                room = avail;
            if (!ReadFile(pipe, to, room, &got, NULL) || got == 0)
                break;
            if (to != scratch)
                n += got;
            continue;
        }
        ULONGLONG now = GetTickCount64();
        if (now >= deadline)
            return -1;
        DWORD step = deadline - now < STEP_MS ? (DWORD)(deadline - now) : STEP_MS;
        /* Once the child has ended, what it wrote is in the pipe: one more peek drains it and
         * the next sees the pipe broken. */
        WaitForSingleObject(process, step);
    }
    if (size > 0)
        buf[n] = '\0';
    return (long)n;
}

int bt_child_run(const char *exe, char *const argv[], char *const envp[], const char *input,
                 int timeout_ms, char *answer, size_t size, bt_child_result *res)
{
    memset(res, 0, sizeof *res);
    if (size > 0)
        answer[0] = '\0';
    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    HANDLE out_read = NULL, out_write = NULL, in_read = NULL, in_write = NULL;
    wchar_t *wexe = bt_win_widen(exe), *cmd = command_line(argv);
    wchar_t *env = envp ? environment_block(envp) : NULL;
    bool made = wexe && cmd && (!envp || env) && CreatePipe(&out_read, &out_write, &inherit, 0) &&
                SetHandleInformation(out_read, HANDLE_FLAG_INHERIT, 0) &&
                (!input || (CreatePipe(&in_read, &in_write, &inherit, 0) &&
                            SetHandleInformation(in_write, HANDLE_FLAG_INHERIT, 0)));
    PROCESS_INFORMATION pi = {0};
    STARTUPINFOW si = {0};
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = input ? in_read : GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = out_write;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    DWORD error = made ? 0 : (wexe && cmd ? GetLastError() : ERROR_NOT_ENOUGH_MEMORY);
    /* The child inherits the error mode it is created with: a crash then ends it at once with
     * its exception code, instead of Windows Error Reporting's dialog (or wine's debugger)
     * holding it until the deadline. */
    UINT mode = SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
    if (made && !CreateProcessW(wexe, cmd, NULL, NULL, TRUE,
                                CREATE_NO_WINDOW | (env ? CREATE_UNICODE_ENVIRONMENT : 0), env,
                                NULL, &si, &pi)) {
        error = GetLastError();
        made = false;
    }
    SetErrorMode(mode);
    free(wexe);
    free(cmd);
    free(env);
    /* The child holds its ends now; ours would keep the pipes open after it ends. */
    if (out_write)
        CloseHandle(out_write);
    if (in_read)
        CloseHandle(in_read);
    if (!made) {
        if (out_read)
            CloseHandle(out_read);
        if (in_write)
            CloseHandle(in_write);
        res->outcome = BT_CHILD_SPAWN_FAILED;
        res->error_number = bt_win_errno_of(error);
        return -1;
    }
    CloseHandle(pi.hThread);
    res->pid = (pid_t)pi.dwProcessId;
    ULONGLONG deadline = GetTickCount64() + (ULONGLONG)(timeout_ms > 0 ? timeout_ms : 0);
    writer *w = input ? malloc(sizeof *w + strlen(input) + 1) : NULL;
    HANDLE thread = NULL;
    if (w) {
        w->pipe = in_write;
        memcpy(w->text, input, strlen(input) + 1);
        thread = CreateThread(NULL, 0, write_input, w, 0, NULL);
    }
    if (input && !thread) {
        free(w);
        CloseHandle(in_write); /* no input then: the child sees end-of-input at once */
    }
    long n = read_answer(out_read, pi.hProcess, answer, size, deadline);
    if (n < 0)
        TerminateProcess(pi.hProcess, 1);
    WaitForSingleObject(pi.hProcess, INFINITE);
    CloseHandle(out_read);
    if (thread) {
        /* The child is gone: a write still pending fails with a broken pipe on Windows; wine
         * keeps it waiting, so it is cancelled too. A writer that still does not end is left
         * to end with the process (it owns what it uses). */
        if (WaitForSingleObject(thread, 0) == WAIT_TIMEOUT) {
            CancelSynchronousIo(thread);
            WaitForSingleObject(thread, WRITER_END_MS);
        }
        CloseHandle(thread);
    }
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    if (n < 0) {
        res->outcome = BT_CHILD_TIMED_OUT;
        return -1;
    }
    int sig = signal_of(code);
    if (sig) {
        res->outcome = BT_CHILD_SIGNALED;
        res->signal_number = sig;
        return -1;
    }
    res->outcome = BT_CHILD_ANSWERED;
    return 0;
}
