// selftest.c - --selftest: the smoke test in one exe. Runs every check in a
// child process of this same exe (stdout and stderr through pipes, a time
// limit each), compares what came with what should (expect.c's traces, the
// documented exit codes), and gives one verdict: TAP version 14 on stdout,
// JUnit XML with --junit FILE, exit 0 or EXIT_SELFTEST_FAILED. Also
// --version and --selftest-expect (expect.c's trace, for the test suite).
// The checks themselves are in selftest_checks.c, the JUnit writer in junit.c.

#include "demo.h"
#include <string.h>
#define STRSAFE_NO_DEPRECATE        // Leave the C runtime's names alone
#include <strsafe.h>                // Bounded formatting that MSVC /W4 does not flag as unsafe

// A child's time limit. The test-only fault injection lowers it to try the
// "timed out" path; the shipped exe has the one value.
#ifndef SELFTEST_TIMEOUT_MS
#define SELFTEST_TIMEOUT_MS 60000
#endif

// Checks run side by side, this many at a time at most (each is mostly a
// process start, slow under Wine); results are still printed in order.
// One thread does it all, polling the children's pipes while it waits for
// them: no reader threads, as 32-bit Wine under qemu-user cannot run two
// threads (tests/arch/x86/teb-repro.sh, docs/ARCHITECTURES.md).
#define PARALLEL_CHECKS 4
#define POLL_MS 10              // How often the pipes are emptied while a check runs

// What a pipe gave: the bytes read so far, NUL-terminated (p NULL if none).
typedef struct
{
    HANDLE hRead;
    char *p;
    size_t cb;
} PIPE_TEXT;

// A check's child while it runs: its process and the pipes its stdout and
// stderr go through.
typedef struct
{
    HANDLE hProcess;            // NULL: the child did not start (szWhy says why)
    PIPE_TEXT out, err;
    DWORD dwStart;              // GetTickCount() when it started
} CHILD;

// Reads what pipe *pText holds now, without waiting for more, so that the
// child never blocks on a full pipe. Out of memory drops bytes, but drains.
static void DrainPipe(PIPE_TEXT *pText)
{
    char chunk[2048];           // Under a page: a bigger frame needs __chkstk, which clang in MSVC mode cannot link here
    DWORD cbAvail, cbRead;

    while (pText->hRead != NULL && PeekNamedPipe(pText->hRead, NULL, 0, NULL, &cbAvail, NULL) && cbAvail != 0 &&
           ReadFile(pText->hRead, chunk, cbAvail < sizeof chunk ? cbAvail : (DWORD)sizeof chunk, &cbRead, NULL) &&
           cbRead != 0)
    {
        char *pNew = (char *)realloc(pText->p, pText->cb + cbRead + 1);

        if (pNew == NULL)
            continue;
        memcpy(pNew + pText->cb, chunk, cbRead);
        pText->p = pNew;
        pText->cb += cbRead;
        pText->p[pText->cb] = '\0';
    }
}

// An inheritable pipe; *phWrite goes to the child. FALSE on failure.
static BOOL MakePipe(HANDLE *phRead, HANDLE *phWrite)
{
    SECURITY_ATTRIBUTES sa = { sizeof sa, NULL, TRUE };

    if (!CreatePipe(phRead, phWrite, &sa, 0))
        return FALSE;
    return SetHandleInformation(*phRead, HANDLE_FLAG_INHERIT, 0);
}

// Copies the line that starts at lpLine (up to CR or LF) into szOut,
// cut to fit, or "(no more output)" at the end.
static void CopyLine(const char *lpLine, const char *lpEnd, char *szOut, size_t cbOut)
{
    size_t n = 0;

    if (lpLine >= lpEnd)
    {
        StringCchCopyA(szOut, cbOut, "(no more output)");
        return;
    }
    while (lpLine < lpEnd && *lpLine != '\r' && *lpLine != '\n' && n + 1 < cbOut)
        szOut[n++] = *lpLine++;
    szOut[n] = '\0';
}

// Compares got with expected; at the first difference, fills the line
// number and both lines into *pOut. TRUE if the same.
static BOOL SameText(const char *pExp, size_t cbExp, const char *pGot, size_t cbGot, SELFTEST_OUTCOME *pOut)
{
    size_t i = 0, iLine = 0;

    if (cbExp == cbGot && (cbExp == 0 || memcmp(pExp, pGot, cbExp) == 0))
        return TRUE;
    pOut->nLine = 1;
    for (; i < cbExp && i < cbGot && pExp[i] == pGot[i]; i++)
        if (pExp[i] == '\n')
        {
            pOut->nLine++;
            iLine = i + 1;
        }
    CopyLine(pExp + iLine, pExp + cbExp, pOut->szExpected, sizeof pOut->szExpected);
    CopyLine(pGot + iLine, pGot + cbGot, pOut->szGot, sizeof pOut->szGot);
    return FALSE;
}

// Starts this exe with lpArgs, stdin from NUL, stdout and stderr into
// pipes, into *pChild. On failure, pChild->hProcess is NULL and
// pOut->szWhy says why.
static void StartChild(LPCTSTR lpArgs, CHILD *pChild, SELFTEST_OUTCOME *pOut)
{
    TCHAR szExe[MAX_PATH], szCmd[MAX_PATH + 200];
    SECURITY_ATTRIBUTES sa = { sizeof sa, NULL, TRUE };
    STARTUPINFO si;
    PROCESS_INFORMATION pi;
    HANDLE hOutW = NULL, hErrW = NULL, hNul;
    DWORD cchExe = GetModuleFileName(NULL, szExe, MAX_PATH);

    ZeroMemory(pChild, sizeof *pChild);
    pChild->dwStart = GetTickCount();
    if (cchExe == 0 || cchExe >= MAX_PATH)        // MAX_PATH: the path was cut short
    {
        StringCchPrintfA(pOut->szWhy, sizeof pOut->szWhy, "GetModuleFileName failed with error code of %lu", GetLastError());
        return;
    }
    StringCchPrintf(szCmd, sizeof szCmd / sizeof szCmd[0], TEXT("\"%s\" %s"), szExe, lpArgs);
    hNul = CreateFile(TEXT("NUL"), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa, OPEN_EXISTING, 0, NULL);
    if (!MakePipe(&pChild->out.hRead, &hOutW) || !MakePipe(&pChild->err.hRead, &hErrW) || hNul == INVALID_HANDLE_VALUE)
    {
        StringCchPrintfA(pOut->szWhy, sizeof pOut->szWhy, "CreatePipe or NUL failed with error code of %lu", GetLastError());
        if (hNul != INVALID_HANDLE_VALUE)
            CloseHandle(hNul);
    }
    else
    {
        ZeroMemory(&si, sizeof si);
        si.cb = sizeof si;
        si.dwFlags = STARTF_USESTDHANDLES;
        si.hStdInput = hNul;
        si.hStdOutput = hOutW;
        si.hStdError = hErrW;
        if (CreateProcess(szExe, szCmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
        {
            CloseHandle(pi.hThread);
            pChild->hProcess = pi.hProcess;
        }
        else
            StringCchPrintfA(pOut->szWhy, sizeof pOut->szWhy, "CreateProcess failed with error code of %lu", GetLastError());
        CloseHandle(hNul);
    }
    // Only the child holds the write ends now, so its pipes end when it does.
    if (hOutW != NULL)
        CloseHandle(hOutW);
    if (hErrW != NULL)
        CloseHandle(hErrW);
}

// Waits for pChildren[0] to end, or ends it at its time limit, emptying
// the pipes of all dwRunning children meanwhile; fills pChildren[0]'s
// pipe texts and *pOut (dwExit, dwMs; szWhy on a timeout). TRUE if the
// child ran to its end. Closes its process and pipe handles.
static BOOL FinishChild(CHILD *pChildren, DWORD dwRunning, SELFTEST_OUTCOME *pOut)
{
    CHILD *pChild = &pChildren[0];
    DWORD i, dwWait = WAIT_TIMEOUT;
    FILETIME ftCreated, ftExited, ftKernel, ftUser;

    if (pChild->hProcess != NULL)
    {
        while (dwWait == WAIT_TIMEOUT && GetTickCount() - pChild->dwStart < SELFTEST_TIMEOUT_MS)
        {
            for (i = 0; i < dwRunning; i++)
            {
                DrainPipe(&pChildren[i].out);
                DrainPipe(&pChildren[i].err);
            }
            dwWait = WaitForSingleObject(pChild->hProcess, POLL_MS);
        }
        if (dwWait != WAIT_OBJECT_0)
        {
            TerminateProcess(pChild->hProcess, EXIT_SELFTEST_FAILED);
            WaitForSingleObject(pChild->hProcess, 5000);
            StringCchPrintfA(pOut->szWhy, sizeof pOut->szWhy, "timed out after %lu s, ended", (DWORD)(SELFTEST_TIMEOUT_MS / 1000));
            pOut->bTimedOut = TRUE;
        }
        GetExitCodeProcess(pChild->hProcess, &pOut->dwExit);
        // Its own run time, not how long it waited here for the checks before it.
        pOut->dwMs = GetTickCount() - pChild->dwStart;
        if (GetProcessTimes(pChild->hProcess, &ftCreated, &ftExited, &ftKernel, &ftUser))
        {
            ULONGLONG ull100ns = (((ULONGLONG)ftExited.dwHighDateTime << 32) | ftExited.dwLowDateTime) -
                                 (((ULONGLONG)ftCreated.dwHighDateTime << 32) | ftCreated.dwLowDateTime);

            if (ull100ns <= 0xFFFFFFFF)     // 32-bit division: x86 has no 64-bit one without MSVC's helpers
                pOut->dwMs = (DWORD)ull100ns / 10000;
        }
        CloseHandle(pChild->hProcess);
    }
    DrainPipe(&pChild->out);    // The child is gone: what it wrote is all in the pipes
    DrainPipe(&pChild->err);
    if (pChild->out.hRead != NULL)
        CloseHandle(pChild->out.hRead);
    if (pChild->err.hRead != NULL)
        CloseHandle(pChild->err.hRead);
    return pChild->hProcess != NULL && pOut->szWhy[0] == '\0';
}

// The line of a failed run's stdout that most likely says why: the first
// that names a failed check, else says MISMATCH, NOT, failed or Error (in
// that order), else the last line that is not empty.
static const char *ReasonLine(const char *p, size_t cb)
{
    static const char *const aWords[] = { "check failed", "MISMATCH", "NOT ", "failed", "Error" };
    const char *pEnd = p + cb, *pLine, *pEol, *pLast = p;
    size_t i;

    for (i = 0; i < sizeof aWords / sizeof aWords[0]; i++)
        for (pLine = p; pLine < pEnd; pLine = pEol ? pEol + 1 : pEnd)
        {
            const char *pHit = strstr(pLine, aWords[i]);

            pEol = strchr(pLine, '\n');
            if (pHit != NULL && (pEol == NULL || pHit < pEol))
                return pLine;
            if (*pLine != '\r' && *pLine != '\n')
                pLast = pLine;
        }
    return pLast;
}

// Ends check *pCheck, whose child is pChildren[0] (dwRunning children in
// flight from there on): fills *pOut (szWhy empty: it passed).
static void FinishCheck(const SELFTEST_CHECK *pCheck, CHILD *pChildren, DWORD dwRunning, DWORD dwPageSize,
                        SELFTEST_OUTCOME *pOut)
{
    PIPE_TEXT *pStdout = &pChildren[0].out, *pStderr = &pChildren[0].err;

    if (FinishChild(pChildren, dwRunning, pOut))
    {
        char *pExp = NULL;
        size_t cbExp = 0;

        if (pCheck->lpKind != NULL && (pExp = ExpectedTrace(pCheck->lpKind, pCheck->dwPages, dwPageSize, &cbExp)) == NULL)
            StringCchCopyA(pOut->szWhy, sizeof pOut->szWhy, "no expected trace (unknown kind, or out of memory)");
        else if (pExp != NULL && !SameText(pExp, cbExp, pStdout->p, pStdout->cb, pOut))
            StringCchPrintfA(pOut->szWhy, sizeof pOut->szWhy, "stdout differs from the expected trace at line %ld", pOut->nLine);
        else if (pOut->dwExit != (DWORD)pCheck->nExit)
            StringCchPrintfA(pOut->szWhy, sizeof pOut->szWhy, "exit code %lu, expected %d", pOut->dwExit, pCheck->nExit);
        free(pExp);
        if (pOut->szWhy[0] != '\0' && pOut->nLine == 0 && pStdout->cb != 0)
            CopyLine(ReasonLine(pStdout->p, pStdout->cb), pStdout->p + pStdout->cb, pOut->szGot, sizeof pOut->szGot);
    }
    if (pStderr->cb != 0)
        CopyLine(pStderr->p, pStderr->p + pStderr->cb, pOut->szStderr, sizeof pOut->szStderr);
    free(pStdout->p);
    free(pStderr->p);
}

// Writes a YAML line: the key (with its indent), s as a double-quoted string.
static void PutQuoted(FILE *f, const char *lpKey, const char *s)
{
    fputs(lpKey, f);
    fputc('"', f);
    for (; *s != '\0'; s++)
    {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7E)
            fprintf(f, "\\x%02X", (unsigned)(unsigned char)*s);
        else
            fputc(*s, f);
    }
    fputs("\"\n", f);
}

// TAP 14: "ok N - name", or "not ok N - name" and a YAML block saying why.
static void PrintTapResult(DWORD n, const SELFTEST_CHECK *pCheck, const SELFTEST_OUTCOME *pOut)
{
    printf("%sok %lu - %s\n", pOut->szWhy[0] ? "not " : "", n, pCheck->lpName);
    if (pOut->szWhy[0] == '\0')
        return;
    printf("  ---\n");
    PutQuoted(stdout, "  message: ", pOut->szWhy);
    if (pOut->bTimedOut)
        printf("  exit_code: ~\n  expected_exit_code: %d\n", pCheck->nExit);    // None: it was ended
    else
        printf("  exit_code: %lu\n  expected_exit_code: %d\n", pOut->dwExit, pCheck->nExit);
    if (pOut->nLine != 0)
    {
        printf("  first_differing_line: %ld\n", pOut->nLine);
        PutQuoted(stdout, "  expected: ", pOut->szExpected);
        PutQuoted(stdout, "  got: ", pOut->szGot);
    }
    else if (pOut->szGot[0] != '\0')
        PutQuoted(stdout, "  reason_line: ", pOut->szGot);
    if (pOut->szStderr[0] != '\0')
        PutQuoted(stdout, "  stderr: ", pOut->szStderr);
    printf("  ...\n");
}

// --selftest [--junit FILE]: every check, the TAP stream, the verdict.
static int RunSelftest(LPCTSTR lpJunit)
{
    static SELFTEST_OUTCOME outcomes[SELFTEST_MAX_CHECKS];
    static CHILD children[SELFTEST_MAX_CHECKS];
    DWORD nStarted = 0, nDone, dwChecks, dwFailed = 0, dwStart = GetTickCount();
    const SELFTEST_CHECK *pChecks = SelftestChecks(&dwChecks);
    FILE *fJunit = NULL;
    BOOL bJunitLost = FALSE;

    InstallCtrlHandler();       // Ctrl-C: exit 9, as every run
    if (lpJunit != NULL && (fJunit = CreateTextFile(lpJunit)) == NULL)
    {
        _ftprintf(stderr, TEXT("pagefault_demo: cannot write the JUnit file %s (error code %lu); exit code %d.\n"),
                  lpJunit, GetLastError(), EXIT_OUTPUT_LOST);
        return EXIT_OUTPUT_LOST;
    }
    printf("TAP version 14\n");
    PrintVersion(TEXT("# "));
    printf("1..%u\n", (unsigned)dwChecks);
    fflush(stdout);
    // PARALLEL_CHECKS in flight; each result printed once all before it are.
    for (nDone = 0; nDone < dwChecks; nDone++)
    {
        for (; nStarted < dwChecks && nStarted < nDone + PARALLEL_CHECKS; nStarted++)
        {
            ZeroMemory(&outcomes[nStarted], sizeof outcomes[nStarted]);
            StartChild(pChecks[nStarted].lpArgs, &children[nStarted], &outcomes[nStarted]);
        }
        FinishCheck(&pChecks[nDone], &children[nDone], nStarted - nDone, SystemPageSize(), &outcomes[nDone]);
        if (outcomes[nDone].szWhy[0] != '\0')
            dwFailed++;
        PrintTapResult(nDone + 1, &pChecks[nDone], &outcomes[nDone]);
        fflush(stdout);         // A harness sees each result as it comes
    }
    printf("# %lu of %u checks passed in %.1f s; exit code %d\n", dwChecks - dwFailed,
           (unsigned)dwChecks, (GetTickCount() - dwStart) / 1000.0, dwFailed ? EXIT_SELFTEST_FAILED : EXIT_OK);
    if (fJunit != NULL)
    {
        BOOL bWritten = WriteJUnit(fJunit, pChecks, outcomes, dwChecks, dwFailed, GetTickCount() - dwStart);

        bJunitLost = (fclose(fJunit) != 0) || !bWritten;     // Closed either way
    }
    if (bJunitLost)
    {
        _ftprintf(stderr, TEXT("pagefault_demo: writing the JUnit file %s failed; exit code %d.\n"), lpJunit,
                  EXIT_OUTPUT_LOST);
        return EXIT_OUTPUT_LOST;
    }
    return dwFailed ? EXIT_SELFTEST_FAILED : EXIT_OK;
}

// See demo.h. Each of these options stands alone (--selftest with --junit).
int RunSmokeTestOptions(int argc, TCHAR *argv[])
{
    LPCTSTR lpFirst = argc > 1 ? argv[1] : TEXT("");

    if (_tcscmp(lpFirst, TEXT("--version")) == 0 && argc == 2)
    {
        PrintVersion(TEXT(""));
        return EXIT_OK;
    }
    if (_tcscmp(lpFirst, TEXT("--selftest")) == 0 && argc == 2)
        return RunSelftest(NULL);
    if (_tcscmp(lpFirst, TEXT("--selftest")) == 0 && argc == 4 && _tcscmp(argv[2], TEXT("--junit")) == 0)
        return RunSelftest(argv[3]);
    if (_tcscmp(lpFirst, TEXT("--selftest-expect")) == 0 && (argc == 3 || argc == 4))
        return PrintExpectedTrace(argv[2], argc == 4 ? argv[3] : NULL);
    for (argc--; argc > 0; argc--)
        if (_tcscmp(argv[argc], TEXT("--version")) == 0 || _tcscmp(argv[argc], TEXT("--selftest")) == 0 ||
            _tcscmp(argv[argc], TEXT("--junit")) == 0 || _tcscmp(argv[argc], TEXT("--selftest-expect")) == 0)
        {
            // Name what is wrong: a --junit without its FILE, or an option that takes no company.
            if (_tcscmp(lpFirst, TEXT("--selftest")) == 0 && _tcscmp(argv[argc], TEXT("--junit")) == 0 &&
                argv[argc + 1] == NULL)
                _ftprintf(stderr, TEXT("pagefault_demo: --junit needs a FILE (--selftest --junit FILE)\n"));
            else if (_tcscmp(argv[argc], TEXT("--selftest")) == 0 || _tcscmp(argv[argc], TEXT("--junit")) == 0)
                _ftprintf(stderr, TEXT("pagefault_demo: %s stands alone (or: --selftest --junit FILE)\n"),
                          argv[argc]);
            else
                _ftprintf(stderr, TEXT("pagefault_demo: %s stands alone: give it no other option\n"), argv[argc]);
            _ftprintf(stderr, TEXT("Usage: pagefault_demo [options]\n")
                              TEXT("Try 'pagefault_demo --help' for more.\n"));
            return EXIT_BAD_USAGE;
        }
    return -1;
}
