/* Running the bangtin executable as a short-lived child that answers on one line: measuring an
 * item (`bangtin measure --machine`) and speaking a text bulletin (`bangtin speak --machine`).
 * What may crash or hang on hostile input — a decoder on a stick's audio, a synthesizer on a
 * stick's text — does it in the child, which is killed at its deadline; the kiosk only reads a
 * line. */
#ifndef BT_CHILD_H
#define BT_CHILD_H

#include <stddef.h>
#include <sys/types.h>

typedef enum {
    BT_CHILD_ANSWERED,    /* it ran to its end: answer holds what it printed */
    BT_CHILD_SPAWN_FAILED,/* it could not be started: error_number says why */
    BT_CHILD_TIMED_OUT,   /* it was killed at the deadline */
    BT_CHILD_SIGNALED     /* it died of a signal (a decoder's crash): signal_number */
} bt_child_outcome;

typedef struct {
    bt_child_outcome outcome;
    int error_number;     /* BT_CHILD_SPAWN_FAILED: an errno value */
    int signal_number;    /* BT_CHILD_SIGNALED */
    pid_t pid;            /* the child's, once started (a timed-out child's debris is named by it) */
} bt_child_result;

/* Runs exe with argv (and envp; NULL = this process's environment). When input is not NULL it
 * is written whole to the child's stdin, which is then closed (it must fit a socket's buffer:
 * the texts sent are at most a few tens of kB). Reads the child's stdout into answer (NUL-ended,
 * cut at size − 1) until the child closes it or timeout_ms pass, then reaps it. Returns 0 when
 * the child answered, −1 otherwise; *res says what happened either way. */
int bt_child_run(const char *exe, char *const argv[], char *const envp[], const char *input,
                 int timeout_ms, char *answer, size_t size, bt_child_result *res);

#endif
