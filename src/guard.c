// guard.c - one guarded access: __try/__except where the compiler has them
// (MSVC, clang in MSVC mode), and on GCC the vectored exception handler that
// stands in for them. Touches the demo's state only by calling the sample's
// filter and __except body, for main.c's loop on GCC; the labs' filter keeps
// its record in the FAULT_LOG its caller passes.

#include "demo.h"

// An MSVC-mode compiler (clang --target=*-msvc) marks floating-point code
// with a reference to _fltused, which Microsoft's C runtime defines and
// MinGW-w64's does not: define it when the two meet.
#if defined(_MSC_VER) && defined(__MINGW64_VERSION_MAJOR)
int _fltused = 0;
#endif

// The words --verbose, --version and --selftest use for the mechanism that
// runs the filter in this build.
LPCTSTR GuardMechanismName(void)
{
#ifdef _MSC_VER
    return TEXT("__try/__except (frame-based SEH)");
#else
    return TEXT("vectored exception handler (GCC stand-in for __try)");
#endif
}

// The log of the guarded access under way, for the labs' filter.
static FAULT_LOG *volatile g_pLog;

// The labs' filter: count the fault, commit the page that holds the
// faulting address (and the chunk after it), and retry; let a guard-page
// exception retry too. Gives up on any other exception, and when the
// commit fails, saying which as the demo's filter does.
static INT CommitFaultingPageFilter(DWORD dwCode, EXCEPTION_POINTERS *lpInfo)
{
    const EXCEPTION_RECORD *lpRec = lpInfo->ExceptionRecord;
    DWORD dwPageSize = SystemPageSize();
    LPBYTE lpPage;
    SIZE_T cbCommit;

    g_pLog->dwLastCode = dwCode;
    if (dwCode == STATUS_GUARD_PAGE_VIOLATION)
    {
        g_pLog->dwGuardHits++;
        return EXCEPTION_CONTINUE_EXECUTION;
    }
    if (dwCode != EXCEPTION_ACCESS_VIOLATION || lpRec->NumberParameters < 2)
    {
        _tprintf(TEXT("Exception code = 0x%08lX.\n"), dwCode);
        return EXCEPTION_EXECUTE_HANDLER;
    }
    g_pLog->dwFaults++;
    g_pLog->lpLastFault = (LPVOID)lpRec->ExceptionInformation[1];
    g_pLog->bLastFaultWrite = (lpRec->ExceptionInformation[0] == 1);
    lpPage = (LPBYTE)(lpRec->ExceptionInformation[1] & ~(ULONG_PTR)(dwPageSize - 1));
    cbCommit = (SIZE_T)(g_pLog->dwChunkPages ? g_pLog->dwChunkPages : 1) * dwPageSize;
    if (g_pLog->lpLimit != NULL && lpPage >= g_pLog->lpLimit)
        cbCommit = dwPageSize;                  // Past the limit: the faulting page only
    else if (g_pLog->lpLimit != NULL && cbCommit > (SIZE_T)(g_pLog->lpLimit - lpPage))
        cbCommit = (SIZE_T)(g_pLog->lpLimit - lpPage);
    if (VirtualAlloc(lpPage, cbCommit, MEM_COMMIT, PAGE_READWRITE) == NULL)
    {
        _tprintf(TEXT("VirtualAlloc failed with error code of %lu.\n"), GetLastError());
        return EXCEPTION_EXECUTE_HANDLER;
    }
    return EXCEPTION_CONTINUE_EXECUTION;
}

// The labs' __except body: end the process as the demo's does, with the
// code of the branch its filter took (3 not a page fault, 5 commit failed).
static void ExitProcessAfterLabFilterGaveUp(void)
{
    _tprintf(TEXT("Exiting process.\n"));
    FlushStdoutOrExit();
    ExitProcess(g_pLog->dwLastCode != EXCEPTION_ACCESS_VIOLATION ? EXIT_NOT_A_PAGE_FAULT : EXIT_COMMIT_FAILED);
}

#ifndef _MSC_VER
// The vectored exception handler that stands in for __try/__except on GCC.
// It is process-wide, so it acts only while a guarded access runs, and only
// on the thread that armed it; any other exception passes through. It calls
// the filter of the access under way and, should the filter give up, that
// access's __except body, which ends the process.
static volatile LONG g_bGuardActive = FALSE;
static GUARD_FILTER volatile g_pfnGuardFilter = PageFaultExceptionFilter;
static GUARD_FILTER volatile g_pfnDemoFilter = PageFaultExceptionFilter; // --filter's
static void (*volatile g_pfnGuardGaveUp)(void) = ExitProcessAfterFilterGaveUp;
static DWORD g_dwGuardThread;

static LONG CALLBACK GuardedWriteHandler(EXCEPTION_POINTERS *lpInfo)
{
    DWORD dwCode = lpInfo->ExceptionRecord->ExceptionCode;

    if (!g_bGuardActive || GetCurrentThreadId() != g_dwGuardThread)
        return EXCEPTION_CONTINUE_SEARCH;

    switch (g_pfnGuardFilter(dwCode, lpInfo))
    {
    case EXCEPTION_CONTINUE_EXECUTION:
        return EXCEPTION_CONTINUE_EXECUTION;
    case EXCEPTION_EXECUTE_HANDLER:
        g_pfnGuardGaveUp();                     // Does not return
        return EXCEPTION_CONTINUE_SEARCH;
    default:
        return EXCEPTION_CONTINUE_SEARCH;
    }
}

// Installs the handler, once, for the calling thread; exits on failure.
static void InstallVectoredFilter(void)
{
    static BOOL bInstalled = FALSE;

    if (bInstalled)
        return;
    g_dwGuardThread = GetCurrentThreadId();
    if (AddVectoredExceptionHandler(1, GuardedWriteHandler) == NULL)
        ErrorExit(TEXT("AddVectoredExceptionHandler failed"));
    bInstalled = TRUE;
}

// Arms the handler for the sample's filter; __try (demo.h) calls it.
void BeginGuardedWrite(void)
{
    InstallVectoredFilter();
    g_bGuardActive = TRUE;
}

// Disarms the handler; __try calls it when its block is done.
void EndGuardedWrite(void)
{
    g_bGuardActive = FALSE;
}
#endif

// See demo.h. With MSVC and clang the __except line calls the filter.
void GuardUseFilter(GUARD_FILTER pfnFilter)
{
#ifdef _MSC_VER
    (void)pfnFilter;
#else
    g_pfnGuardFilter = g_pfnDemoFilter = pfnFilter;
#endif
}

// See demo.h.
BYTE GuardedAccess(volatile BYTE *lpByte, BOOL bWrite, BYTE value, FAULT_LOG *pLog)
{
    BYTE result = value;

    g_pLog = pLog;
#ifdef _MSC_VER
    __try
    {
        if (bWrite)
            *lpByte = value;
        else
            result = *lpByte;
    }
    __except (CommitFaultingPageFilter(GetExceptionCode(), GetExceptionInformation()))
    {
        ExitProcessAfterLabFilterGaveUp();
    }
#else
    g_pfnGuardFilter = CommitFaultingPageFilter;
    g_pfnGuardGaveUp = ExitProcessAfterLabFilterGaveUp;
    BeginGuardedWrite();
    if (bWrite)
        *lpByte = value;
    else
        result = *lpByte;
    EndGuardedWrite();
    g_pfnGuardFilter = g_pfnDemoFilter;
    g_pfnGuardGaveUp = ExitProcessAfterFilterGaveUp;
#endif
    g_pLog = NULL;
    return result;
}
