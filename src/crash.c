// crash.c - the ends nobody planned: an exception that nothing handles
// (exit code 13, EXIT_CRASHED) and output lost on stdout (exit code 12,
// EXIT_OUTPUT_LOST). Either way one line on stderr says what happened, so
// that an unattended smoke test gets a verdict, not a dialog or a code that
// means something else.
//
// The sample's own faults never come here: the __try/__except (or, on GCC,
// guard.c's vectored handler, which the system calls before any frame and
// long before this last-chance filter) handles them first.

#include "demo.h"
#include <errno.h>

static TCHAR g_szDoing[200];    // "running pagefault_demo ARGS", for the crash line

// The unhandled-exception filter: the system calls it when no vectored
// handler and no __except took the exception (learn.microsoft.com,
// "SetUnhandledExceptionFilter"). Says what and where on stderr and ends
// the process at once: after a crash, no more of the program's own code
// should run (no atexit handlers), hence TerminateProcess.
static LONG WINAPI OnUnhandledException(EXCEPTION_POINTERS *lpInfo)
{
    const EXCEPTION_RECORD *lpRec = lpInfo->ExceptionRecord;

    fflush(stdout);             // What was printed before stays in the trace
    _ftprintf(stderr, TEXT("pagefault_demo: crashed: exception 0x%08lX at %p while %s; exit code %d.\n"),
              lpRec->ExceptionCode, lpRec->ExceptionAddress, g_szDoing, EXIT_CRASHED);
    fflush(stderr);
    TerminateProcess(GetCurrentProcess(), EXIT_CRASHED);
    return EXCEPTION_EXECUTE_HANDLER;
}

// At exit (return from _tmain, exit()): flush stdout and, should any write
// to it have failed (closed, disk full, the reader gone), say so on stderr
// and end with EXIT_OUTPUT_LOST instead of a code that claims the output.
static void CheckStdoutAtExit(void)
{
    FlushStdoutOrExit();
}

// See demo.h. The codes are the last ones the C runtime and the system set:
// those of the failed write, unless something failed after it.
void FlushStdoutOrExit(void)
{
    DWORD dwError;

    if (fflush(stdout) == 0 && !ferror(stdout))
        return;
    dwError = GetLastError();
    // One line within 80 columns (for any Win32 error under 10000).
    _ftprintf(stderr, TEXT("pagefault_demo: stdout failed (errno %d, Win32 error %lu): output lost, exit %d\n"),
              errno, dwError, EXIT_OUTPUT_LOST);
    fflush(stderr);
    _exit(EXIT_OUTPUT_LOST);
}

// Appends lpText to g_szDoing, cut off where it is full.
static void AddToDoing(LPCTSTR lpText)
{
    size_t cch = _tcslen(g_szDoing);

    while (*lpText != TEXT('\0') && cch + 1 < sizeof g_szDoing / sizeof g_szDoing[0])
        g_szDoing[cch++] = *lpText++;
    g_szDoing[cch] = TEXT('\0');
}

// See demo.h.
void InstallCrashContainment(int argc, TCHAR *argv[])
{
    int n;

    // No "critical error" message box, no Windows Error Reporting dialog
    // (learn.microsoft.com, "SetErrorMode"): an unattended run never waits.
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
    AddToDoing(TEXT("running pagefault_demo"));
    for (n = 1; n < argc; n++)
    {
        AddToDoing(TEXT(" "));
        AddToDoing(argv[n]);
    }
    SetUnhandledExceptionFilter(OnUnhandledException);
    atexit(CheckStdoutAtExit);
}
