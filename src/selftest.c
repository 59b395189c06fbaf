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
#define PARALLEL_CHECKS 4

// Held from making a child's inheritable handles to closing the parent's
// copies, so that a child started meanwhile inherits none of them (a pipe
// would then stay open until that other child ends).
static CRITICAL_SECTION g_csSpawn;

// What a pipe gave: the bytes read until the child closed its end.
typedef struct
{
    HANDLE hRead;
    char *p;
    size_t cb;
} PIPE_TEXT;


// Thread: reads the pipe into *pText until the writer is gone.
static DWORD WINAPI ReadPipe(LPVOID lpParam)
{
    PIPE_TEXT *pText = (PIPE_TEXT *)lpParam;
    char chunk[2048];           // Under a page: a bigger frame needs __chkstk, which clang in MSVC mode cannot link here
    DWORD cbRead;

    while (ReadFile(pText->hRead, chunk, sizeof chunk, &cbRead, NULL) && cbRead != 0)
    {
        char *pNew = (char *)realloc(pText->p, pText->cb + cbRead + 1);

        if (pNew == NULL)
            continue;           // Keep draining, so the child never blocks
        memcpy(pNew + pText->cb, chunk, cbRead);
        pText->p = pNew;
        pText->cb += cbRead;
        pText->p[pText->cb] = '\0';
    }
    return 0;
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

// Runs this exe with lpArgs, stdin from NUL, within the time limit; fills
// *pStdout, *pStderr and *pOut (dwExit, dwMs; szWhy on a failure to run or
// a timeout). TRUE if the child ran to its end.
static BOOL RunChild(LPCTSTR lpArgs, PIPE_TEXT *pStdout, PIPE_TEXT *pStderr, SELFTEST_OUTCOME *pOut)
{
    TCHAR szExe[MAX_PATH], szCmd[MAX_PATH + 200];
    SECURITY_ATTRIBUTES sa = { sizeof sa, NULL, TRUE };
    STARTUPINFO si;
    PROCESS_INFORMATION pi;
    HANDLE hOutW = NULL, hErrW = NULL, hNul, hThreads[2];
    DWORD dwStart = GetTickCount(), dwWait;
    BOOL bStarted;
    int i;
    DWORD cchExe = GetModuleFileName(NULL, szExe, MAX_PATH);

    if (cchExe == 0 || cchExe >= MAX_PATH)        // MAX_PATH: the path was cut short
    {
        StringCchPrintfA(pOut->szWhy, sizeof pOut->szWhy, "GetModuleFileName failed with error code of %lu", GetLastError());
        return FALSE;
    }
    StringCchPrintf(szCmd, sizeof szCmd / sizeof szCmd[0], TEXT("\"%s\" %s"), szExe, lpArgs);
    EnterCriticalSection(&g_csSpawn);
    hNul = CreateFile(TEXT("NUL"), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa, OPEN_EXISTING, 0, NULL);
    if (!MakePipe(&pStdout->hRead, &hOutW) || !MakePipe(&pStderr->hRead, &hErrW) || hNul == INVALID_HANDLE_VALUE)
    {
        StringCchPrintfA(pOut->szWhy, sizeof pOut->szWhy, "CreatePipe or NUL failed with error code of %lu", GetLastError());
        LeaveCriticalSection(&g_csSpawn);
        return FALSE;
    }
    ZeroMemory(&si, sizeof si);
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = hNul;
    si.hStdOutput = hOutW;
    si.hStdError = hErrW;
    bStarted = CreateProcess(szExe, szCmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
    if (!bStarted)
        StringCchPrintfA(pOut->szWhy, sizeof pOut->szWhy, "CreateProcess failed with error code of %lu", GetLastError());
    CloseHandle(hOutW);         // Only the child holds the write ends now
    CloseHandle(hErrW);
    CloseHandle(hNul);
    LeaveCriticalSection(&g_csSpawn);
    hThreads[0] = CreateThread(NULL, 0, ReadPipe, pStdout, 0, NULL);
    hThreads[1] = CreateThread(NULL, 0, ReadPipe, pStderr, 0, NULL);
    if (bStarted)
    {
        dwWait = WaitForSingleObject(pi.hProcess, SELFTEST_TIMEOUT_MS);
        if (dwWait != WAIT_OBJECT_0)
        {
            TerminateProcess(pi.hProcess, EXIT_SELFTEST_FAILED);
            WaitForSingleObject(pi.hProcess, 5000);
            StringCchPrintfA(pOut->szWhy, sizeof pOut->szWhy, "timed out after %lu s, ended", (DWORD)(SELFTEST_TIMEOUT_MS / 1000));
            pOut->bTimedOut = TRUE;
        }
        GetExitCodeProcess(pi.hProcess, &pOut->dwExit);
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
    }
    // The child is gone, so its ends of the pipes are closed and the readers end.
    for (i = 0; i < 2; i++)
        if (hThreads[i] != NULL && WaitForSingleObject(hThreads[i], INFINITE) == WAIT_OBJECT_0)
            CloseHandle(hThreads[i]);
    pOut->dwMs = GetTickCount() - dwStart;
    return bStarted && pOut->szWhy[0] == '\0';
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

// Runs check *pCheck; fills *pOut (szWhy empty: it passed).
static void RunCheck(const SELFTEST_CHECK *pCheck, DWORD dwPageSize, SELFTEST_OUTCOME *pOut)
{
    PIPE_TEXT out = { NULL, NULL, 0 }, err = { NULL, NULL, 0 };

    ZeroMemory(pOut, sizeof *pOut);
    if (RunChild(pCheck->lpArgs, &out, &err, pOut))
    {
        char *pExp = NULL;
        size_t cbExp = 0;

        if (pCheck->lpKind != NULL && (pExp = ExpectedTrace(pCheck->lpKind, pCheck->dwPages, dwPageSize, &cbExp)) == NULL)
            StringCchCopyA(pOut->szWhy, sizeof pOut->szWhy, "no expected trace (unknown kind, or out of memory)");
        else if (pExp != NULL && !SameText(pExp, cbExp, out.p, out.cb, pOut))
            StringCchPrintfA(pOut->szWhy, sizeof pOut->szWhy, "stdout differs from the expected trace at line %ld", pOut->nLine);
        else if (pOut->dwExit != (DWORD)pCheck->nExit)
            StringCchPrintfA(pOut->szWhy, sizeof pOut->szWhy, "exit code %lu, expected %d", pOut->dwExit, pCheck->nExit);
        free(pExp);
        if (pOut->szWhy[0] != '\0' && pOut->nLine == 0 && out.cb != 0)
            CopyLine(ReasonLine(out.p, out.cb), out.p + out.cb, pOut->szGot, sizeof pOut->szGot);
    }
    if (err.cb != 0)
        CopyLine(err.p, err.p + err.cb, pOut->szStderr, sizeof pOut->szStderr);
    CloseHandle(out.hRead);
    CloseHandle(err.hRead);
    free(out.p);
    free(err.p);
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

// One check for a thread of its own.
typedef struct
{
    const SELFTEST_CHECK *pCheck;
    SELFTEST_OUTCOME *pOut;
} CHECK_JOB;

// Thread: runs the check *lpParam (a CHECK_JOB) into its outcome.
static DWORD WINAPI CheckThread(LPVOID lpParam)
{
    const CHECK_JOB *pJob = (const CHECK_JOB *)lpParam;

    RunCheck(pJob->pCheck, SystemPageSize(), pJob->pOut);
    return 0;
}

// Starts check n in a thread of its own (hThread NULL if none could start:
// then it runs here and now). The check's outcome goes in *pOut.
static HANDLE StartCheck(const SELFTEST_CHECK *pCheck, CHECK_JOB *pJob, SELFTEST_OUTCOME *pOut)
{
    HANDLE hThread;

    pJob->pCheck = pCheck;
    pJob->pOut = pOut;
    hThread = CreateThread(NULL, 0, CheckThread, pJob, 0, NULL);
    if (hThread == NULL)
        CheckThread(pJob);
    return hThread;
}

// Waits for check n's thread, then prints its TAP result; counts a failure
// in *pdwFailed.
static void FinishCheck(DWORD n, HANDLE hThread, const SELFTEST_CHECK *pCheck, const SELFTEST_OUTCOME *pOut, DWORD *pdwFailed)
{
    if (hThread != NULL)
    {
        WaitForSingleObject(hThread, INFINITE);
        CloseHandle(hThread);
    }
    if (pOut->szWhy[0] != '\0')
        (*pdwFailed)++;
    PrintTapResult(n + 1, pCheck, pOut);
    fflush(stdout);             // A harness sees each result as it comes
}

// --selftest [--junit FILE]: every check, the TAP stream, the verdict.
static int RunSelftest(LPCTSTR lpJunit)
{
    static SELFTEST_OUTCOME outcomes[SELFTEST_MAX_CHECKS];
    static CHECK_JOB jobs[SELFTEST_MAX_CHECKS];
    static HANDLE hThreads[SELFTEST_MAX_CHECKS];
    DWORD n, dwChecks, dwFailed = 0, dwStart = GetTickCount();
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
    InitializeCriticalSection(&g_csSpawn);
    // PARALLEL_CHECKS in flight; each result printed once all before it are.
    for (n = 0; n < dwChecks + PARALLEL_CHECKS; n++)
    {
        if (n < dwChecks)
            hThreads[n] = StartCheck(&pChecks[n], &jobs[n], &outcomes[n]);
        if (n + 1 >= PARALLEL_CHECKS && n + 1 - PARALLEL_CHECKS < dwChecks)
        {
            DWORD k = n + 1 - PARALLEL_CHECKS;

            FinishCheck(k, hThreads[k], &pChecks[k], &outcomes[k], &dwFailed);
        }
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
            _ftprintf(stderr, TEXT("pagefault_demo: %s stands alone (--selftest: with --junit FILE only)\n")
                              TEXT("Usage: pagefault_demo [options]\n")
                              TEXT("Try 'pagefault_demo --help' for more.\n"), argv[argc]);
            return EXIT_BAD_USAGE;
        }
    return -1;
}
