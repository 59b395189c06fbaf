// console.c - Ctrl-C and Ctrl-Break end the run with an exit code of its own.
//
// Without a handler, Windows ends the process with STATUS_CONTROL_C_EXIT and
// Wine ends it with exit code 0, which a script reads as success. With this
// one, the trace printed so far is flushed, one line on stderr says what
// happened, and the exit code is EXIT_INTERRUPTED (9), on both.

#include "demo.h"

// Called by the system on a thread of its own. At Ctrl-C or Ctrl-Break it
// ends the process; any other event (closing the window, logoff) goes on to
// the next handler, as it would without this one.
static BOOL WINAPI OnConsoleCtrl(DWORD dwCtrlType)
{
    if (dwCtrlType != CTRL_C_EVENT && dwCtrlType != CTRL_BREAK_EVENT)
        return FALSE;
    fflush(stdout);             // The lines printed so far stay in a redirected trace
    _ftprintf(stderr, TEXT("pagefault_demo: interrupted by %s; exit code %d.\n"),
              dwCtrlType == CTRL_C_EVENT ? TEXT("Ctrl-C") : TEXT("Ctrl-Break"),
              EXIT_INTERRUPTED);
    fflush(stderr);
    ExitProcess(EXIT_INTERRUPTED);
}

// See demo.h.
void InstallCtrlHandler(void)
{
    if (!SetConsoleCtrlHandler(OnConsoleCtrl, TRUE))
    {
        _ftprintf(stderr, TEXT("pagefault_demo: SetConsoleCtrlHandler failed with error code of %lu.\n"),
                  GetLastError());
        exit(EXIT_SETUP_FAILED);
    }
}
