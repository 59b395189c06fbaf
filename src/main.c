// Reserving and Committing Memory
//
// A short program to demonstrate dynamic memory allocation using a
// structured exception handler: reserve a region, let the loop fault on
// each untouched page, and commit exactly one page per fault from the
// exception filter. It follows the documented Win32 sample step by step;
// every place where it differs on purpose is marked "DIFFERS:" and listed,
// with the reason, in README.md.

// DIFFERS: MinGW-w64 would otherwise swap in its own printf; pin the
// Microsoft C runtime's printf, the one the sample and MSVC builds use.
#define __USE_MINGW_ANSI_STDIO 0

#include <windows.h>
#include <psapi.h>
#include <tchar.h>
#include <stdio.h>
#include <stdlib.h>             // For exit

#define PAGELIMIT 80            // Number of pages to ask for (the default)

LPBYTE lpNxtPage;               // Address of the next page to ask for (DIFFERS: a byte pointer)
DWORD dwPages = 0;              // Count of pages gotten so far
DWORD dwPageSize;               // Page size on this computer

// DIFFERS: the limit is a variable so that --pages and --scenario can set it.
DWORD dwPageLimit = PAGELIMIT;  // Pages the filter may commit

// Exit codes: each outcome has its own, so a smoke test can tell them apart.
enum
{
    EXIT_OK = 0,                // Everything worked
    EXIT_SETUP_FAILED = 1,      // The region could not be reserved or prepared
    EXIT_BAD_USAGE = 2,         // Bad command line
    EXIT_NOT_A_PAGE_FAULT = 3,  // The filter saw an exception other than an access violation
    EXIT_OUT_OF_PAGES = 4,      // The filter had committed its page limit already
    EXIT_COMMIT_FAILED = 5,     // VirtualAlloc(MEM_COMMIT) failed in the filter
    EXIT_RELEASE_FAILED = 6,    // VirtualFree(MEM_RELEASE) failed
    EXIT_VERIFY_FAILED = 7,     // --verify found memory that did not behave
    EXIT_TOUR_FAILED = 8        // --tour saw a rule that was not as documented
};

// Which run the command line asked for.
typedef enum
{
    SCENARIO_NONE,              // The documented run
    SCENARIO_OVERRUN,           // Touch one page more than was reserved
    SCENARIO_NOT_A_FAULT,       // Divide by zero inside the guarded block
    SCENARIO_COMMIT_FAILS       // The filter may commit past the reservation
} SCENARIO;

typedef enum { MODE_DEMO, MODE_TOUR, MODE_COMPARE } MODE;

typedef struct
{
    MODE mode;
    DWORD dwPagesAsked;         // --pages N (0: not given)
    SCENARIO scenario;
    BOOL bVerbose;
    BOOL bPause;
    BOOL bVerify;
    DWORD dwStride;             // --stride K (0: not given)
    DWORD dwReps;               // --reps R (0: not given)
    BOOL bCsv;
} OPTIONS;

static OPTIONS g_opt;
// Set by exception filters, read after the guarded code: volatile, since on
// GCC the filter runs from a handler the compiler does not see being called.
static volatile DWORD g_dwFaults = 0; // Access violations the filter has seen
static volatile DWORD g_dwLastCode;   // The exception code the filter saw last
static LPBYTE g_lpBase;         // Start of the reserved region
static DWORD g_dwRegionPages;   // Pages in the reserved region

static int  ParseCommandLine(int argc, TCHAR *argv[], OPTIONS *pOpt);
static LPVOID ReserveWithFreePageAfter(SIZE_T cbRegion, BOOL bFence);
static void RaiseIntegerDivideByZero(void);
static void ReportFaultBeforeCommit(const EXCEPTION_POINTERS *lpInfo);
static void ReportRegionAfterCommit(void);
static void PauseBeforeRelease(void);
static BOOL VerifyAfterLoop(DWORD dwTouchPages);
static BOOL VerifyAfterRelease(void);
static int  RunTour(void);
static int  RunCompare(const OPTIONS *pOpt);
#ifndef _MSC_VER
static void InstallVectoredFilter(void);
static void BeginGuardedWrite(void);
static void EndGuardedWrite(void);
#endif
static void ExitProcessAfterFilterGaveUp(void);

// The exception filter: commit the next page if the exception is a page
// fault and pages are left, else hand over to the __except block.
// DIFFERS: it also receives GetExceptionInformation(), for --verbose.
INT PageFaultExceptionFilter(DWORD dwCode, EXCEPTION_POINTERS *lpInfo)
{
    LPVOID lpvResult;

    g_dwLastCode = dwCode;      // DIFFERS: kept for the exit code, should the __except block run

    // If the exception is not a page fault, exit.

    if (dwCode != EXCEPTION_ACCESS_VIOLATION)
    {
        // DIFFERS: the code in hex, as Windows documents exception codes.
        _tprintf(TEXT("Exception code = 0x%08lX.\n"), dwCode);
        return EXCEPTION_EXECUTE_HANDLER;
    }

    _tprintf(TEXT("Exception is a page fault.\n"));
    g_dwFaults++;               // DIFFERS: counted for --verify

    // If the reserved pages are used up, exit.

    if (dwPages >= dwPageLimit)
    {
        _tprintf(TEXT("Exception: out of pages.\n"));
        return EXCEPTION_EXECUTE_HANDLER;
    }

    if (g_opt.bVerbose)         // DIFFERS: --verbose
        ReportFaultBeforeCommit(lpInfo);

    // Otherwise, commit another page.

    lpvResult = VirtualAlloc(
                     (LPVOID) lpNxtPage, // Next page to commit
                     dwPageSize,         // Page size, in bytes
                     MEM_COMMIT,         // Allocate a committed page
                     PAGE_READWRITE);    // Read/write access
    if (lpvResult == NULL )
    {
        // DIFFERS: says why, with the Win32 error code.
        _tprintf(TEXT("VirtualAlloc failed with error code of %lu.\n"), GetLastError());
        return EXCEPTION_EXECUTE_HANDLER;
    }
    else
    {
        _tprintf(TEXT("Allocating another page.\n"));
    }

    if (g_opt.bVerbose)         // DIFFERS: --verbose
        ReportRegionAfterCommit();

    // Increment the page count, and advance lpNxtPage to the next page.

    dwPages++;
    lpNxtPage = lpNxtPage + dwPageSize;

    // Continue execution where the page fault occurred.

    return EXCEPTION_CONTINUE_EXECUTION;
}

// DIFFERS: exits non-zero; the sample's exit(0) reported success.
VOID ErrorExit(LPCTSTR lpMsg)
{
    _tprintf(TEXT("Error! %s with error code of %lu.\n"), lpMsg, GetLastError());
    exit(EXIT_SETUP_FAILED);
}

// The body of the __except block: the filter could not commit a page.
// DIFFERS: flushes stdout (ExitProcess does not) and exits with a code
// that names the branch the filter took, even when GetLastError() is 0.
static void ExitProcessAfterFilterGaveUp(void)
{
    UINT uExitCode;

    _tprintf(TEXT("Exiting process.\n"));

    if (g_dwLastCode != EXCEPTION_ACCESS_VIOLATION)
        uExitCode = EXIT_NOT_A_PAGE_FAULT;
    else if (dwPages >= dwPageLimit)
        uExitCode = EXIT_OUT_OF_PAGES;
    else
        uExitCode = EXIT_COMMIT_FAILED;

    fflush(stdout);
    ExitProcess(uExitCode);
}

int _tmain(int argc, TCHAR *argv[])
{
    LPVOID lpvBase;               // Base address of the test memory
    volatile BYTE *lpPtr;         // DIFFERS: bytes, not TCHARs (see README); volatile keeps the write in the guard
    BOOL bSuccess;                // Flag
    SIZE_T i;                     // DIFFERS: SIZE_T, as a DWORD byte index overflows at 4 GiB
    SIZE_T cbTouch;               // Bytes the loop writes
    SIZE_T cbDivideByZeroAt;      // Loop index of --scenario not-a-fault's division
    DWORD dwTouchPages;           // Pages the loop writes
    SYSTEM_INFO sSysInfo;         // Useful information about the system
    BOOL bVerified = TRUE;        // --verify found nothing wrong
    int nExit;

    // DIFFERS: read the command line first; nothing is reserved before it is known to be good.
    nExit = ParseCommandLine(argc, argv, &g_opt);
    if (nExit >= 0)
        return nExit;
    if (g_opt.mode == MODE_TOUR)
        return RunTour();
    if (g_opt.mode == MODE_COMPARE)
        return RunCompare(&g_opt);

    GetSystemInfo(&sSysInfo);     // Initialize the structure.

    _tprintf(TEXT("This computer has page size %lu.\n"), sSysInfo.dwPageSize);

    dwPageSize = sSysInfo.dwPageSize;

    if (g_opt.dwPagesAsked != 0)
        dwPageLimit = g_opt.dwPagesAsked;
    g_dwRegionPages = dwPageLimit;
    dwTouchPages = dwPageLimit;
    if (g_opt.scenario == SCENARIO_OVERRUN)
        dwTouchPages = g_dwRegionPages + 1;   // One page past the end
    if (g_opt.scenario == SCENARIO_COMMIT_FAILS)
    {
        dwPageLimit = g_dwRegionPages + 1;    // The filter may go past the end
        dwTouchPages = g_dwRegionPages + 1;
    }
    if (dwTouchPages > (SIZE_T)-1 / dwPageSize)
    {
        SetLastError(ERROR_ARITHMETIC_OVERFLOW);
        ErrorExit(TEXT("The region's size does not fit a SIZE_T"));
    }
    cbTouch = (SIZE_T)dwTouchPages * dwPageSize;
    cbDivideByZeroAt = (g_opt.scenario == SCENARIO_NOT_A_FAULT) ? dwPageSize : (SIZE_T)-1;

    // Reserve pages in the virtual address space of the process.

    // DIFFERS: the scenarios reserve where the page after the region is free.
    if (g_opt.scenario == SCENARIO_NONE)
        lpvBase = VirtualAlloc(
                         NULL,                      // System selects address
                         (SIZE_T)g_dwRegionPages * dwPageSize, // Size of allocation
                         MEM_RESERVE,               // Allocate reserved pages
                         PAGE_NOACCESS);            // Protection = no access
    else
        lpvBase = ReserveWithFreePageAfter((SIZE_T)g_dwRegionPages * dwPageSize,
                                           g_opt.scenario == SCENARIO_OVERRUN);
    if (lpvBase == NULL )
        ErrorExit(TEXT("VirtualAlloc reserve failed"));

    lpPtr = lpNxtPage = g_lpBase = (LPBYTE) lpvBase;

    // Use structured exception handling when accessing the pages.
    // If a page fault occurs, the exception filter is executed to
    // commit another page from the reserved block of pages.

#ifndef _MSC_VER
    // DIFFERS: GCC has no __try/__except. A vectored exception handler calls
    // the same filter while the guarded write runs; see below.
    InstallVectoredFilter();
#endif

    for (i = 0; i < cbTouch; i++)
    {
#ifdef _MSC_VER
        __try
        {
            if (i == cbDivideByZeroAt)      // Only in --scenario not-a-fault
                RaiseIntegerDivideByZero();

            // Write to memory.

            lpPtr[i] = 'a';
        }

        // If there's a page fault, commit another page and try again.

        __except ( PageFaultExceptionFilter( GetExceptionCode(), GetExceptionInformation() ) )
        {

            // This code is executed only if the filter function
            // is unsuccessful in committing the next page.

            ExitProcessAfterFilterGaveUp();

        }
#else
        BeginGuardedWrite();

        if (i == cbDivideByZeroAt)          // Only in --scenario not-a-fault
            RaiseIntegerDivideByZero();

        // Write to memory.

        lpPtr[i] = 'a';

        EndGuardedWrite();
#endif
    }

    if (g_opt.bVerify)
        bVerified = VerifyAfterLoop(dwTouchPages);
    if (g_opt.bPause)
        PauseBeforeRelease();

    // Release the block of pages when you are finished using them.

    bSuccess = VirtualFree(
                       lpvBase,       // Base address of block
                       0,             // Bytes of committed pages
                       MEM_RELEASE);  // Decommit the pages

    // DIFFERS: two plain strings (no %s of a TCHAR string), and a failed release exits non-zero.
    if (bSuccess)
        _tprintf(TEXT("Release succeeded.\n"));
    else
    {
        _tprintf(TEXT("Release failed with error code of %lu.\n"), GetLastError());
        return EXIT_RELEASE_FAILED;
    }

    if (g_opt.bVerify)
        bVerified &= VerifyAfterRelease();

    return bVerified ? EXIT_OK : EXIT_VERIFY_FAILED;
}

// ---------------------------------------------------------------------------
// Everything below is extra to the documented sample.
// ---------------------------------------------------------------------------

// An MSVC-mode compiler (clang --target=*-msvc) marks floating-point code
// with a reference to _fltused, which Microsoft's C runtime defines and
// MinGW-w64's does not: define it when the two meet.
#if defined(_MSC_VER) && defined(__MINGW64_VERSION_MAJOR)
int _fltused = 0;
#endif

// Reserve cbRegion bytes where the page after the region is free, so that
// a write or a commit one page past the end really fails (the scenarios
// need that): reserve one allocation granule more, release it, and reserve
// again at the same base. With bFence the page after is then reserved too,
// no access, so that nothing the process allocates meanwhile can land where
// --scenario overrun writes. (When the region does not end on a granule,
// that page lies in the region's last granule, where no reservation starts.)
static LPVOID ReserveWithFreePageAfter(SIZE_T cbRegion, BOOL bFence)
{
    SYSTEM_INFO si;
    LPVOID lpvProbe;
    LPVOID lpvBase;
    LPBYTE lpAfter;
    MEMORY_BASIC_INFORMATION mbi;

    GetSystemInfo(&si);
    lpvProbe = VirtualAlloc(NULL, cbRegion + si.dwAllocationGranularity, MEM_RESERVE, PAGE_NOACCESS);
    if (lpvProbe == NULL)
        return NULL;
    if (!VirtualFree(lpvProbe, 0, MEM_RELEASE))
        return NULL;
    lpvBase = VirtualAlloc(lpvProbe, cbRegion, MEM_RESERVE, PAGE_NOACCESS);
    if (lpvBase == NULL)
        return NULL;
    lpAfter = (LPBYTE)lpvBase + cbRegion;
    if (VirtualQuery(lpAfter, &mbi, sizeof mbi) == 0 || mbi.State != MEM_FREE
        || (bFence && ((ULONG_PTR)lpAfter % si.dwAllocationGranularity) == 0
            && VirtualAlloc(lpAfter, dwPageSize, MEM_RESERVE, PAGE_NOACCESS) == NULL))
    {
        VirtualFree(lpvBase, 0, MEM_RELEASE);
        SetLastError(ERROR_INVALID_ADDRESS);
        return NULL;
    }
    return lpvBase;     // The fence, if any, goes with the process
}

// A real hardware exception that is not an access violation: the CPU
// raises EXCEPTION_INT_DIVIDE_BY_ZERO (0xC0000094).
// (Both operands are volatile: compilers turn 1 / x into a compare.)
static volatile int g_nDividend = 1;
static volatile int g_nZero = 0;
static volatile int g_nQuotient;

#if defined(_MSC_VER)
__declspec(noinline)
#else
__attribute__((noinline))
#endif
static void RaiseIntegerDivideByZero(void)
{
    g_nQuotient = g_nDividend / g_nZero;
}

// A filter of the same shape as PageFaultExceptionFilter.
typedef INT (*GUARD_FILTER)(DWORD dwCode, EXCEPTION_POINTERS *lpInfo);

#ifndef _MSC_VER
// The vectored exception handler that stands in for __try/__except on GCC.
// It is process-wide, so it acts only while a guarded access runs, and only
// on the thread that installed it; any other exception passes through.
static volatile LONG g_bGuardActive = FALSE;
static GUARD_FILTER volatile g_pfnGuardFilter = PageFaultExceptionFilter;
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
        ExitProcessAfterFilterGaveUp();         // Does not return
        return EXCEPTION_CONTINUE_SEARCH;
    default:
        return EXCEPTION_CONTINUE_SEARCH;
    }
}

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

static void BeginGuardedWrite(void) { g_bGuardActive = TRUE; }
static void EndGuardedWrite(void)   { g_bGuardActive = FALSE; }
#endif

// One access to *lpByte under the guard, with pfnFilter as the exception
// filter; the tour and --compare use it. Should the filter give up, the
// process ends as in the demo's __except block.
static BYTE GuardedAccess(volatile BYTE *lpByte, BOOL bWrite, BYTE value, GUARD_FILTER pfnFilter)
{
    BYTE result = value;

#ifdef _MSC_VER
    __try
    {
        if (bWrite)
            *lpByte = value;
        else
            result = *lpByte;
    }
    __except (pfnFilter(GetExceptionCode(), GetExceptionInformation()))
    {
        ExitProcessAfterFilterGaveUp();
    }
#else
    InstallVectoredFilter();
    g_pfnGuardFilter = pfnFilter;
    BeginGuardedWrite();
    if (bWrite)
        *lpByte = value;
    else
        result = *lpByte;
    EndGuardedWrite();
    g_pfnGuardFilter = PageFaultExceptionFilter;
#endif
    return result;
}

// A silent filter for the tour and --compare: remember the fault, commit
// the page that holds the faulting address, and retry the access.
static LPVOID volatile g_lpLastFault;   // Address of the last access violation
static volatile BOOL g_bLastFaultWrite; // Was it a write?

static INT CommitFaultingPageFilter(DWORD dwCode, EXCEPTION_POINTERS *lpInfo)
{
    const EXCEPTION_RECORD *lpRec = lpInfo->ExceptionRecord;
    ULONG_PTR uPage;

    g_dwLastCode = dwCode;
    if (dwCode != EXCEPTION_ACCESS_VIOLATION || lpRec->NumberParameters < 2)
    {
        _tprintf(TEXT("Exception code = 0x%08lX.\n"), dwCode);
        return EXCEPTION_EXECUTE_HANDLER;
    }
    g_dwFaults++;
    g_lpLastFault = (LPVOID)lpRec->ExceptionInformation[1];
    g_bLastFaultWrite = (lpRec->ExceptionInformation[0] == 1);
    uPage = lpRec->ExceptionInformation[1] & ~(ULONG_PTR)(dwPageSize - 1);
    if (VirtualAlloc((LPVOID)uPage, dwPageSize, MEM_COMMIT, PAGE_READWRITE) == NULL)
    {
        _tprintf(TEXT("VirtualAlloc failed with error code of %lu.\n"), GetLastError());
        return EXCEPTION_EXECUTE_HANDLER;
    }
    return EXCEPTION_CONTINUE_EXECUTION;
}

// ----- --verbose ------------------------------------------------------------

static LPCTSTR StateName(DWORD dwState)
{
    switch (dwState)
    {
    case MEM_COMMIT:  return TEXT("MEM_COMMIT");
    case MEM_RESERVE: return TEXT("MEM_RESERVE");
    case MEM_FREE:    return TEXT("MEM_FREE");
    default:          return TEXT("MEM_?");
    }
}

static LPCTSTR ProtectName(DWORD dwProtect)
{
    switch (dwProtect)
    {
    case 0:                 return TEXT("none");
    case PAGE_NOACCESS:     return TEXT("PAGE_NOACCESS");
    case PAGE_READONLY:     return TEXT("PAGE_READONLY");
    case PAGE_READWRITE:    return TEXT("PAGE_READWRITE");
    case PAGE_EXECUTE_READWRITE: return TEXT("PAGE_EXECUTE_READWRITE");
    default:                return TEXT("PAGE_?");
    }
}

// One line: the run of pages that VirtualQuery reports from lpAddress on.
static void PrintQuery(LPCTSTR lpLabel, LPVOID lpAddress)
{
    MEMORY_BASIC_INFORMATION mbi;

    if (VirtualQuery(lpAddress, &mbi, sizeof mbi) == 0)
    {
        _tprintf(TEXT("  %s VirtualQuery failed with error code of %lu.\n"), lpLabel, GetLastError());
        return;
    }
    _tprintf(TEXT("  %s %p: %lu page(s) %s %s\n"), lpLabel, mbi.BaseAddress,
             (DWORD)(mbi.RegionSize / dwPageSize), StateName(mbi.State), ProtectName(mbi.Protect));
}

static void ReportFaultBeforeCommit(const EXCEPTION_POINTERS *lpInfo)
{
    const EXCEPTION_RECORD *lpRec = lpInfo->ExceptionRecord;
    LPVOID lpFault = (lpRec->NumberParameters >= 2) ? (LPVOID)lpRec->ExceptionInformation[1] : NULL;

    _tprintf(TEXT("  fault %lu at %p (%s), page %lu of the region\n"), g_dwFaults, lpFault,
             (lpRec->NumberParameters >= 1 && lpRec->ExceptionInformation[0] == 1) ? TEXT("write") : TEXT("read"),
             (DWORD)(((LPBYTE)lpFault - g_lpBase) / dwPageSize));
    _tprintf(TEXT("  committing page %lu at %p\n"), dwPages, (LPVOID)lpNxtPage);
    PrintQuery(TEXT("before:"), lpNxtPage);
}

// Of the dwCount pages from lpFirst on, how many are committed, from
// VirtualQuery; with pdwReadWrite, also how many of those are PAGE_READWRITE.
static DWORD CountCommittedPages(LPBYTE lpFirst, DWORD dwCount, DWORD *pdwReadWrite)
{
    DWORD dwCommitted = 0;
    DWORD dwReadWrite = 0;
    DWORD dwPage = 0;

    while (dwPage < dwCount)
    {
        MEMORY_BASIC_INFORMATION mbi;
        DWORD dwRun;

        if (VirtualQuery(lpFirst + (SIZE_T)dwPage * dwPageSize, &mbi, sizeof mbi) == 0)
            break;
        dwRun = (DWORD)(((LPBYTE)mbi.BaseAddress + mbi.RegionSize - lpFirst) / dwPageSize) - dwPage;
        if (dwRun > dwCount - dwPage)
            dwRun = dwCount - dwPage;
        if (mbi.State == MEM_COMMIT)
        {
            dwCommitted += dwRun;
            if (mbi.Protect == PAGE_READWRITE)
                dwReadWrite += dwRun;
        }
        dwPage += dwRun;
    }
    if (pdwReadWrite != NULL)
        *pdwReadWrite = dwReadWrite;
    return dwCommitted;
}

// Committed pages of the region as a bar that fits 80 columns:
// '#' all pages of a cell committed, '+' some, '.' none.
static void PrintRegionMap(void)
{
    enum { MAP_CELLS = 60 };
    TCHAR szMap[MAP_CELLS + 1];
    DWORD dwCells = (g_dwRegionPages < MAP_CELLS) ? g_dwRegionPages : MAP_CELLS;
    DWORD dwCommitted = 0;
    DWORD dwCell;

    for (dwCell = 0; dwCell < dwCells; dwCell++)
    {
        // MulDiv: no 64-bit division, which 32-bit MSVC-mode code would call a helper for.
        DWORD dwFirst = (DWORD)MulDiv((int)dwCell, (int)g_dwRegionPages, (int)dwCells);
        DWORD dwEnd = (DWORD)MulDiv((int)dwCell + 1, (int)g_dwRegionPages, (int)dwCells);
        DWORD dwInCell = CountCommittedPages(g_lpBase + (SIZE_T)dwFirst * dwPageSize, dwEnd - dwFirst, NULL);

        dwCommitted += dwInCell;
        szMap[dwCell] = (dwInCell == dwEnd - dwFirst) ? TEXT('#') : (dwInCell ? TEXT('+') : TEXT('.'));
    }
    szMap[dwCells] = TEXT('\0');
    _tprintf(TEXT("  map [%s] %lu/%lu\n"), szMap, dwCommitted, g_dwRegionPages);
}

static void ReportRegionAfterCommit(void)
{
    PrintQuery(TEXT("after: "), lpNxtPage);
    PrintRegionMap();
}

// ----- --pause --------------------------------------------------------------

static void PauseBeforeRelease(void)
{
    int c;

    _tprintf(TEXT("Paused before the release: the region is at %p in process %lu.\n"),
             (LPVOID)g_lpBase, GetCurrentProcessId());
    _tprintf(TEXT("Inspect it now (VMMap, Process Explorer), then press Enter.\n"));
    fflush(stdout);
    do
        c = getchar();
    while (c != '\n' && c != EOF);
}

// ----- --verify -------------------------------------------------------------

static void PrintVerdict(BOOL bOk)
{
    _fputts(bOk ? TEXT(": ok\n") : TEXT(": MISMATCH\n"), stdout);
}

static BOOL VerifyAfterLoop(DWORD dwTouchPages)
{
    BOOL bAllOk = TRUE;
    BOOL bOk;
    DWORD dwCommitted;
    DWORD dwReadWrite;
    SIZE_T cbBad = 0;
    SIZE_T j;

    // 1. One fault per page: no page was committed twice, none skipped.
    bOk = (g_dwFaults == dwTouchPages);
    _tprintf(TEXT("Verify: faults counted (%lu) equal pages touched (%lu)"), g_dwFaults, dwTouchPages);
    PrintVerdict(bOk);
    bAllOk &= bOk;

    // 2. The whole region is committed read/write.
    dwCommitted = CountCommittedPages(g_lpBase, g_dwRegionPages, &dwReadWrite);
    bOk = (dwCommitted == g_dwRegionPages && dwReadWrite == g_dwRegionPages);
    _tprintf(TEXT("Verify: %lu of %lu pages are MEM_COMMIT with PAGE_READWRITE (%lu KiB committed)"),
             dwReadWrite, g_dwRegionPages, dwCommitted * (dwPageSize / 1024));
    PrintVerdict(bOk);
    bAllOk &= bOk;

    // 3. Every byte holds what the loop wrote.
    for (j = 0; j < (SIZE_T)g_dwRegionPages * dwPageSize; j++)
        if (g_lpBase[j] != 'a')
            cbBad++;
    bOk = (cbBad == 0);
    _tprintf(TEXT("Verify: every byte holds 'a' (%lu bytes differ)"), (DWORD)cbBad);
    PrintVerdict(bOk);
    bAllOk &= bOk;

    return bAllOk;
}

static BOOL VerifyAfterRelease(void)
{
    MEMORY_BASIC_INFORMATION mbi;
    BOOL bOk;

    // 4. After MEM_RELEASE the address space is free again.
    bOk = VirtualQuery(g_lpBase, &mbi, sizeof mbi) != 0 && mbi.State == MEM_FREE;
    _tprintf(TEXT("Verify: after MEM_RELEASE the base address is MEM_FREE"));
    PrintVerdict(bOk);
    return bOk;
}

// ----- --tour ---------------------------------------------------------------
// Each rule of VirtualAlloc/VirtualFree is shown on the running system: the
// rule, the calls, what was observed, and the verdict. Nothing is assumed:
// a rule the system does not obey is reported, and the tour exits 8.

static DWORD g_dwRulesBroken = 0;

static void TourRule(int nRule, LPCTSTR lpRule)
{
    _tprintf(TEXT("\nRule %d: %s\n"), nRule, lpRule);
}

static void TourVerdict(BOOL bAsDocumented)
{
    if (!bAsDocumented)
        g_dwRulesBroken++;
    _fputts(bAsDocumented ? TEXT("  => as documented\n") : TEXT("  => NOT as documented\n"), stdout);
}

// The state of the pages at lpAddress, in one line.
static void TourQuery(LPCTSTR lpLabel, LPVOID lpAddress, MEMORY_BASIC_INFORMATION *pmbi)
{
    ZeroMemory(pmbi, sizeof *pmbi);
    if (VirtualQuery(lpAddress, pmbi, sizeof *pmbi) == 0)
    {
        _tprintf(TEXT("  %s VirtualQuery(%p) failed with error code of %lu\n"), lpLabel, lpAddress, GetLastError());
        return;
    }
    _tprintf(TEXT("  %s VirtualQuery(%p): base %p, %lu bytes, %s, %s\n"), lpLabel, lpAddress,
             pmbi->BaseAddress, (DWORD)pmbi->RegionSize, StateName(pmbi->State), ProtectName(pmbi->Protect));
}

// An address range of cb bytes that is free right now, aligned to the
// allocation granularity: reserve it, note where, release it.
static LPBYTE FindFreeRange(SIZE_T cb)
{
    LPVOID lpv = VirtualAlloc(NULL, cb, MEM_RESERVE, PAGE_NOACCESS);

    if (lpv == NULL)
        ErrorExit(TEXT("VirtualAlloc reserve failed"));
    VirtualFree(lpv, 0, MEM_RELEASE);
    return (LPBYTE)lpv;
}

static int RunTour(void)
{
    SYSTEM_INFO si;
    MEMORY_BASIC_INFORMATION mbi, mbi2;
    LPBYTE lpFree, lpWanted, lpBase, lpGot, lpLow, lpHigh;
    SIZE_T cbAsked, j;
    DWORD dwErr, dwErr2, dwGran, dwNonZero;
    BOOL bOk, bOk2;
    BYTE b;

    GetSystemInfo(&si);
    dwPageSize = si.dwPageSize;
    dwGran = si.dwAllocationGranularity;
    _tprintf(TEXT("A tour of the rules behind the demo. Page size %lu bytes, allocation granularity %lu bytes.\n"),
             dwPageSize, dwGran);

    // 1. Reservations start on the allocation granularity.
    TourRule(1, TEXT("A reservation at a requested address starts at that address rounded down to the allocation granularity."));
    lpFree = FindFreeRange(4 * (SIZE_T)dwGran);
    lpWanted = lpFree + dwGran + 3 * (SIZE_T)dwPageSize + 123;
    lpGot = (LPBYTE)VirtualAlloc(lpWanted, dwPageSize, MEM_RESERVE, PAGE_NOACCESS);
    dwErr = GetLastError();
    _tprintf(TEXT("  VirtualAlloc(%p, %lu, MEM_RESERVE, PAGE_NOACCESS) returned %p\n"), (LPVOID)lpWanted, dwPageSize, (LPVOID)lpGot);
    if (lpGot == NULL)
        _tprintf(TEXT("  error code %lu\n"), dwErr);
    TourQuery(TEXT("then"), lpWanted, &mbi);
    _tprintf(TEXT("  expected base %p (%p rounded down to %lu)\n"), (LPVOID)(lpFree + dwGran), (LPVOID)lpWanted, dwGran);
    TourVerdict(lpGot == lpFree + dwGran && mbi.AllocationBase == (LPVOID)(lpFree + dwGran));
    if (lpGot != NULL)
        VirtualFree(lpGot, 0, MEM_RELEASE);

    // 2. Sizes are whole pages.
    TourRule(2, TEXT("A reservation's size is rounded up to whole pages."));
    cbAsked = 5 * (SIZE_T)dwPageSize + 100;
    lpBase = (LPBYTE)VirtualAlloc(NULL, cbAsked, MEM_RESERVE, PAGE_NOACCESS);
    if (lpBase == NULL)
        ErrorExit(TEXT("VirtualAlloc reserve failed"));
    _tprintf(TEXT("  VirtualAlloc(NULL, %lu, MEM_RESERVE, PAGE_NOACCESS) returned %p\n"), (DWORD)cbAsked, (LPVOID)lpBase);
    TourQuery(TEXT("then"), lpBase, &mbi);
    _tprintf(TEXT("  expected %lu bytes (6 pages)\n"), 6 * dwPageSize);
    TourVerdict(mbi.State == MEM_RESERVE && mbi.RegionSize == 6 * (SIZE_T)dwPageSize);
    VirtualFree(lpBase, 0, MEM_RELEASE);

    // 3. A commit covers every page its range touches.
    TourRule(3, TEXT("Committing 6 KiB starting 2 KiB into a reserved region commits the two whole pages that range touches."));
    lpBase = (LPBYTE)VirtualAlloc(NULL, 512 * 1024, MEM_RESERVE, PAGE_NOACCESS);
    if (lpBase == NULL)
        ErrorExit(TEXT("VirtualAlloc reserve failed"));
    _tprintf(TEXT("  VirtualAlloc(NULL, 524288, MEM_RESERVE, PAGE_NOACCESS) returned %p\n"), (LPVOID)lpBase);
    lpGot = (LPBYTE)VirtualAlloc(lpBase + 2048, 6 * 1024, MEM_COMMIT, PAGE_READWRITE);
    _tprintf(TEXT("  VirtualAlloc(%p, 6144, MEM_COMMIT, PAGE_READWRITE) returned %p\n"), (LPVOID)(lpBase + 2048), (LPVOID)lpGot);
    TourQuery(TEXT("then"), lpBase, &mbi);
    TourQuery(TEXT("and "), lpBase + 8192, &mbi2);
    _tprintf(TEXT("  expected 8192 bytes MEM_COMMIT PAGE_READWRITE from the base, then MEM_RESERVE\n"));
    TourVerdict(lpGot != NULL && mbi.BaseAddress == (LPVOID)lpBase && mbi.RegionSize == 8192 && mbi.State == MEM_COMMIT
                && mbi.Protect == PAGE_READWRITE && mbi2.State == MEM_RESERVE);

    // 4. Fresh committed pages are zero.
    TourRule(4, TEXT("Committed memory reads as zero before it is written."));
    dwNonZero = 0;
    for (j = 0; j < 8192 && lpGot != NULL; j++)
        if (lpBase[j] != 0)
            dwNonZero++;
    _tprintf(TEXT("  read the 8192 committed bytes: %lu are not zero\n"), dwNonZero);
    TourVerdict(lpGot != NULL && dwNonZero == 0);

    // 5. Reserved but uncommitted memory faults.
    TourRule(5, TEXT("Touching reserved but uncommitted memory raises an access violation."));
    g_dwFaults = 0;
    g_dwLastCode = 0;
    g_lpLastFault = NULL;
    b = GuardedAccess(lpBase + 8192 + 16, FALSE, 0, CommitFaultingPageFilter);
    _tprintf(TEXT("  read the byte at %p (reserved, not committed)\n"), (LPVOID)(lpBase + 8192 + 16));
    _tprintf(TEXT("  exceptions: %lu, code 0x%08lX, at %p (%s); the filter committed the page and the read gave %u\n"),
             g_dwFaults, g_dwLastCode, g_lpLastFault, g_bLastFaultWrite ? TEXT("write") : TEXT("read"), (unsigned)b);
    TourVerdict(g_dwFaults == 1 && g_dwLastCode == EXCEPTION_ACCESS_VIOLATION
                && g_lpLastFault == (LPVOID)(lpBase + 8192 + 16) && !g_bLastFaultWrite);

    // 6. Commit needs a reservation.
    TourRule(6, TEXT("Committing where nothing is reserved fails."));
    lpFree = FindFreeRange(dwGran);
    SetLastError(0);
    lpGot = (LPBYTE)VirtualAlloc(lpFree, dwPageSize, MEM_COMMIT, PAGE_READWRITE);
    dwErr = GetLastError();
    _tprintf(TEXT("  VirtualAlloc(%p, %lu, MEM_COMMIT, PAGE_READWRITE) on free memory returned %p, error code %lu\n"),
             (LPVOID)lpFree, dwPageSize, (LPVOID)lpGot, dwErr);
    _tprintf(TEXT("  expected NULL and error code %lu (ERROR_INVALID_ADDRESS)\n"), (DWORD)ERROR_INVALID_ADDRESS);
    TourVerdict(lpGot == NULL && dwErr == ERROR_INVALID_ADDRESS);
    if (lpGot != NULL)
        VirtualFree(lpGot, 0, MEM_RELEASE);

    // 7. MEM_RELEASE takes the base address and size 0.
    TourRule(7, TEXT("VirtualFree with MEM_RELEASE needs the region's base address and size 0."));
    SetLastError(0);
    bOk = VirtualFree(lpBase, 512 * 1024, MEM_RELEASE);
    dwErr = GetLastError();
    _tprintf(TEXT("  VirtualFree(%p, 524288, MEM_RELEASE) returned %d, error code %lu\n"), (LPVOID)lpBase, bOk, dwErr);
    SetLastError(0);
    bOk2 = VirtualFree(lpBase + dwPageSize, 0, MEM_RELEASE);
    dwErr2 = GetLastError();
    _tprintf(TEXT("  VirtualFree(%p, 0, MEM_RELEASE) returned %d, error code %lu\n"), (LPVOID)(lpBase + dwPageSize), bOk2, dwErr2);
    TourQuery(TEXT("then"), lpBase, &mbi);
    _tprintf(TEXT("  expected both to fail (%lu ERROR_INVALID_PARAMETER, %lu ERROR_INVALID_ADDRESS) and the region to stay\n"),
             (DWORD)ERROR_INVALID_PARAMETER, (DWORD)ERROR_INVALID_ADDRESS);
    bOk = !bOk && dwErr == ERROR_INVALID_PARAMETER && !bOk2 && dwErr2 == ERROR_INVALID_ADDRESS
          && mbi.AllocationBase == (LPVOID)lpBase && mbi.State != MEM_FREE;
    bOk2 = VirtualFree(lpBase, 0, MEM_RELEASE);
    _tprintf(TEXT("  VirtualFree(%p, 0, MEM_RELEASE) returned %d\n"), (LPVOID)lpBase, bOk2);
    TourQuery(TEXT("then"), lpBase, &mbi);
    TourVerdict(bOk && bOk2 && mbi.State == MEM_FREE);

    // 8. Decommit works on whole pages.
    TourRule(8, TEXT("MEM_DECOMMIT works on whole pages: a range inside one page decommits that page, one across a boundary both."));
    lpBase = (LPBYTE)VirtualAlloc(NULL, 4 * (SIZE_T)dwPageSize, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (lpBase == NULL)
        ErrorExit(TEXT("VirtualAlloc reserve and commit failed"));
    _tprintf(TEXT("  VirtualAlloc(NULL, %lu, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE) returned %p\n"),
             4 * dwPageSize, (LPVOID)lpBase);
    bOk = VirtualFree(lpBase + dwPageSize + dwPageSize / 2, 1, MEM_DECOMMIT);
    _tprintf(TEXT("  VirtualFree(%p, 1, MEM_DECOMMIT) returned %d\n"), (LPVOID)(lpBase + dwPageSize + dwPageSize / 2), bOk);
    TourQuery(TEXT("page 0:"), lpBase, &mbi);
    TourQuery(TEXT("page 1:"), lpBase + dwPageSize, &mbi2);
    bOk = bOk && mbi.State == MEM_COMMIT && mbi.RegionSize == dwPageSize
          && mbi2.State == MEM_RESERVE && mbi2.RegionSize == dwPageSize;
    bOk2 = VirtualFree(lpBase + 3 * (SIZE_T)dwPageSize - 10, 20, MEM_DECOMMIT);
    _tprintf(TEXT("  VirtualFree(%p, 20, MEM_DECOMMIT) returned %d\n"), (LPVOID)(lpBase + 3 * (SIZE_T)dwPageSize - 10), bOk2);
    TourQuery(TEXT("page 1:"), lpBase + dwPageSize, &mbi2);
    _tprintf(TEXT("  expected page 0 committed, pages 1 to 3 reserved\n"));
    TourVerdict(bOk && bOk2 && mbi2.State == MEM_RESERVE && mbi2.RegionSize == 3 * (SIZE_T)dwPageSize);
    VirtualFree(lpBase, 0, MEM_RELEASE);

    // 9. MEM_TOP_DOWN reserves from the top.
    TourRule(9, TEXT("MEM_TOP_DOWN places a reservation above one made without it."));
    lpLow = (LPBYTE)VirtualAlloc(NULL, dwGran, MEM_RESERVE, PAGE_NOACCESS);
    lpHigh = (LPBYTE)VirtualAlloc(NULL, dwGran, MEM_RESERVE | MEM_TOP_DOWN, PAGE_NOACCESS);
    _tprintf(TEXT("  VirtualAlloc(NULL, %lu, MEM_RESERVE, ...) returned %p\n"), dwGran, (LPVOID)lpLow);
    _tprintf(TEXT("  VirtualAlloc(NULL, %lu, MEM_RESERVE | MEM_TOP_DOWN, ...) returned %p\n"), dwGran, (LPVOID)lpHigh);
    TourVerdict(lpLow != NULL && lpHigh != NULL && lpHigh > lpLow);
    if (lpLow != NULL)
        VirtualFree(lpLow, 0, MEM_RELEASE);
    if (lpHigh != NULL)
        VirtualFree(lpHigh, 0, MEM_RELEASE);

    _tprintf(TEXT("\n%lu of 9 rules as documented.\n"), 9 - g_dwRulesBroken);
    return g_dwRulesBroken == 0 ? EXIT_OK : EXIT_TOUR_FAILED;
}

// ----- --compare ------------------------------------------------------------

// Three ways to touch the pages of a region, measured side by side in one
// run. Each way allocates, touches every dwStride-th page once (one byte,
// whose value depends on the page), and is timed from allocation to the last
// touch; then its committed bytes, its commit charge and the touched bytes
// are checked, and the region is released.
#define COMPARE_DEFAULT_PAGES 16384     // 64 MiB of 4 KiB pages
#define COMPARE_DEFAULT_REPS  5
#define COMPARE_WAYS          3

typedef enum { WAY_ON_DEMAND, WAY_UP_FRONT, WAY_EXPLICIT } WAY;

static LPCTSTR WayName(int nWay)
{
    switch (nWay)
    {
    case WAY_ON_DEMAND: return TEXT("on demand (filter)");
    case WAY_UP_FRONT:  return TEXT("up front (whole region)");
    default:            return TEXT("explicit (commit, touch)");
    }
}

typedef struct
{
    double usPerPage;           // Microseconds per touched page
    DWORD dwCommittedKiB;       // Committed bytes in the region at the end, in KiB
    DWORD dwChargeKiB;          // Growth of the process's PrivateUsage, in KiB
    DWORD dwFaults;             // Faults the filter handled
    BOOL bValuesOk;             // Every touched byte holds its value
} WAY_RESULT;

static BYTE TouchValue(DWORD dwPage)
{
    return (BYTE)(dwPage * 7 + 1);      // Never 0, the value of a fresh page
}

static SIZE_T PrivateUsage(void)
{
    PROCESS_MEMORY_COUNTERS_EX pmc;

    ZeroMemory(&pmc, sizeof pmc);
    pmc.cb = sizeof pmc;
    if (!K32GetProcessMemoryInfo(GetCurrentProcess(), (PROCESS_MEMORY_COUNTERS *)&pmc, sizeof pmc))
        return 0;
    return pmc.PrivateUsage;
}

static void RunWay(int nWay, DWORD dwRegionPages, DWORD dwStride, WAY_RESULT *pResult)
{
    LARGE_INTEGER liFreq, liStart, liEnd;
    SIZE_T cbRegion = (SIZE_T)dwRegionPages * dwPageSize;
    SIZE_T cbChargeBefore = PrivateUsage();
    SIZE_T cbChargeAfter;
    DWORD dwTouched = 0;
    DWORD dwPage;
    LPBYTE lpBase;

    g_dwFaults = 0;
    QueryPerformanceFrequency(&liFreq);
    QueryPerformanceCounter(&liStart);
    if (nWay == WAY_UP_FRONT)
        lpBase = (LPBYTE)VirtualAlloc(NULL, cbRegion, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    else
        lpBase = (LPBYTE)VirtualAlloc(NULL, cbRegion, MEM_RESERVE, PAGE_NOACCESS);
    if (lpBase == NULL)
        ErrorExit(TEXT("VirtualAlloc reserve failed"));

    for (dwPage = 0; dwPage < dwRegionPages; dwPage += dwStride)
    {
        volatile BYTE *lpByte = lpBase + (SIZE_T)dwPage * dwPageSize;

        if (nWay == WAY_ON_DEMAND)
            GuardedAccess(lpByte, TRUE, TouchValue(dwPage), CommitFaultingPageFilter);
        else
        {
            if (nWay == WAY_EXPLICIT && VirtualAlloc((LPVOID)lpByte, dwPageSize, MEM_COMMIT, PAGE_READWRITE) == NULL)
                ErrorExit(TEXT("VirtualAlloc commit failed"));
            *lpByte = TouchValue(dwPage);
        }
        dwTouched++;
    }
    QueryPerformanceCounter(&liEnd);
    cbChargeAfter = PrivateUsage();

    pResult->usPerPage = (double)(liEnd.QuadPart - liStart.QuadPart) * 1e6 / (double)liFreq.QuadPart / dwTouched;
    pResult->dwCommittedKiB = CountCommittedPages(lpBase, dwRegionPages, NULL) * (dwPageSize / 1024);
    pResult->dwChargeKiB = (cbChargeAfter > cbChargeBefore) ? (DWORD)((cbChargeAfter - cbChargeBefore) / 1024) : 0;
    pResult->dwFaults = g_dwFaults;
    pResult->bValuesOk = TRUE;
    for (dwPage = 0; dwPage < dwRegionPages; dwPage++)
    {
        BYTE expected = (dwPage % dwStride == 0) ? TouchValue(dwPage) : 0;
        BOOL bCommitted = (dwPage % dwStride == 0) || nWay == WAY_UP_FRONT;

        // Pages never touched are read only where they are committed.
        if (bCommitted && lpBase[(SIZE_T)dwPage * dwPageSize] != expected)
            pResult->bValuesOk = FALSE;
    }
    if (!VirtualFree(lpBase, 0, MEM_RELEASE))
        ErrorExit(TEXT("VirtualFree release failed"));
}

static int CompareDoubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int RunCompare(const OPTIONS *pOpt)
{
    SYSTEM_INFO si;
    DWORD dwRegionPages = pOpt->dwPagesAsked ? pOpt->dwPagesAsked : COMPARE_DEFAULT_PAGES;
    DWORD dwStride = pOpt->dwStride ? pOpt->dwStride : 1;
    DWORD dwReps = pOpt->dwReps ? pOpt->dwReps : COMPARE_DEFAULT_REPS;
    DWORD dwTouched, dwRep, dwExpectedKiB[COMPARE_WAYS];
    double *pTimes;
    double usMedian[COMPARE_WAYS], usMin[COMPARE_WAYS], usMax[COMPARE_WAYS], usLongest = 0;
    WAY_RESULT last[COMPARE_WAYS];
    BOOL bAllOk = TRUE;
    int nWay;

    GetSystemInfo(&si);
    dwPageSize = si.dwPageSize;
    dwTouched = (dwRegionPages + dwStride - 1) / dwStride;
    pTimes = (double *)malloc(sizeof(double) * COMPARE_WAYS * dwReps);
    if (pTimes == NULL)
    {
        _tprintf(TEXT("Error! Out of memory for %lu repetitions.\n"), dwReps);
        return EXIT_SETUP_FAILED;
    }

    // Repetition by repetition, the three ways in turn, so that whatever
    // else the machine does falls on all of them alike.
    for (dwRep = 0; dwRep < dwReps; dwRep++)
        for (nWay = 0; nWay < COMPARE_WAYS; nWay++)
        {
            RunWay(nWay, dwRegionPages, dwStride, &last[nWay]);
            pTimes[nWay * dwReps + dwRep] = last[nWay].usPerPage;
        }

    dwExpectedKiB[WAY_ON_DEMAND] = dwTouched * (dwPageSize / 1024);
    dwExpectedKiB[WAY_UP_FRONT] = dwRegionPages * (dwPageSize / 1024);
    dwExpectedKiB[WAY_EXPLICIT] = dwTouched * (dwPageSize / 1024);
    for (nWay = 0; nWay < COMPARE_WAYS; nWay++)
    {
        double *pWay = pTimes + nWay * dwReps;

        qsort(pWay, dwReps, sizeof *pWay, CompareDoubles);
        usMin[nWay] = pWay[0];
        usMax[nWay] = pWay[dwReps - 1];
        usMedian[nWay] = (dwReps % 2) ? pWay[dwReps / 2] : (pWay[dwReps / 2 - 1] + pWay[dwReps / 2]) / 2;
        if (usMedian[nWay] > usLongest)
            usLongest = usMedian[nWay];
        bAllOk &= last[nWay].bValuesOk && last[nWay].dwCommittedKiB == dwExpectedKiB[nWay]
                  && last[nWay].dwFaults == (nWay == WAY_ON_DEMAND ? dwTouched : 0);
    }

    if (pOpt->bCsv)
    {
        _tprintf(TEXT("way,pages,stride,touched,reps,us_per_page_median,us_per_page_min,us_per_page_max,")
                 TEXT("ratio_to_up_front,committed_kib,commit_charge_kib,faults,values_ok\n"));
        for (nWay = 0; nWay < COMPARE_WAYS; nWay++)
            _tprintf(TEXT("%s,%lu,%lu,%lu,%lu,%.3f,%.3f,%.3f,%.2f,%lu,%lu,%lu,%s\n"),
                     nWay == WAY_ON_DEMAND ? TEXT("on-demand") : nWay == WAY_UP_FRONT ? TEXT("up-front") : TEXT("explicit"),
                     dwRegionPages, dwStride, dwTouched, dwReps, usMedian[nWay], usMin[nWay], usMax[nWay],
                     usMedian[nWay] / usMedian[WAY_UP_FRONT], last[nWay].dwCommittedKiB, last[nWay].dwChargeKiB,
                     last[nWay].dwFaults, last[nWay].bValuesOk ? TEXT("yes") : TEXT("no"));
    }
    else
    {
        _tprintf(TEXT("Compare: a region of %lu pages of %lu bytes, stride %lu, so %lu pages touched;\n")
                 TEXT("median of %lu repetitions, the three ways taking turns.\n\n"),
                 dwRegionPages, dwPageSize, dwStride, dwTouched, dwReps);
        _tprintf(TEXT("%-26s %10s %19s %10s %14s %11s\n"), TEXT("way"), TEXT("us/page"), TEXT("(min..max)"),
                 TEXT("vs up front"), TEXT("committed KiB"), TEXT("charge KiB"));
        for (nWay = 0; nWay < COMPARE_WAYS; nWay++)
            _tprintf(TEXT("%-26s %10.3f  (%7.3f..%7.3f) %10.2fx %14lu %11lu\n"), WayName(nWay), usMedian[nWay],
                     usMin[nWay], usMax[nWay], usMedian[nWay] / usMedian[WAY_UP_FRONT],
                     last[nWay].dwCommittedKiB, last[nWay].dwChargeKiB);
        _tprintf(TEXT("\n"));
        for (nWay = 0; nWay < COMPARE_WAYS; nWay++)
        {
            TCHAR szBar[51];
            int nLen = (usLongest > 0) ? (int)(usMedian[nWay] / usLongest * 50 + 0.5) : 0;
            int n;

            for (n = 0; n < 50; n++)
                szBar[n] = (n < nLen) ? TEXT('#') : TEXT(' ');
            szBar[50] = TEXT('\0');
            _tprintf(TEXT("%-26s |%s| %.3f us\n"), WayName(nWay), szBar, usMedian[nWay]);
        }
        _tprintf(TEXT("\nChecks: committed KiB as expected (%lu, %lu, %lu), faults only on demand, every touched byte ")
                 TEXT("holds its value: %s\n"), dwExpectedKiB[0], dwExpectedKiB[1], dwExpectedKiB[2],
                 bAllOk ? TEXT("ok") : TEXT("MISMATCH"));
        if (last[0].dwChargeKiB == 0 && last[1].dwChargeKiB == 0 && last[2].dwChargeKiB == 0)
            _tprintf(TEXT("Note: PrivateUsage did not grow for any way: this system does not report the commit\n")
                     TEXT("charge there (Wine does not), so the charge column says nothing here.\n"));
    }
    free(pTimes);
    return bAllOk ? EXIT_OK : EXIT_VERIFY_FAILED;
}

// ----- The command line -----------------------------------------------------

#define MAX_PAGES 1048576       // 4 GiB of 4 KiB pages: past a DWORD byte count

static void PrintUsage(FILE *f)
{
    _ftprintf(f, TEXT(
        "Usage: pagefault_demo [options]\n"
        "\n"
        "Reserves a region of %d pages, lets a loop write to every byte, and commits\n"
        "one page per page fault from a structured exception filter, then releases\n"
        "the region.\n"
        "\n"
        "Options:\n"
        "  --pages N        reserve and touch N pages (1 to %d; default %d,\n"
        "                   with --compare %d)\n"
        "  --scenario NAME  take a branch of the filter the default run never takes:\n"
        "                     overrun      touch one page past the reservation\n"
        "                     not-a-fault  divide by zero inside the guarded block\n"
        "                     commit-fails let the filter commit past the reservation\n"
        "  -v, --verbose    show each fault's address, the region before and after\n"
        "                   the commit, and a map of committed pages\n"
        "  --pause          wait for Enter before the release\n"
        "  --verify         check the memory after the loop and after the release\n"
        "  --tour           show the VirtualAlloc/VirtualFree rules on this system\n"
        "  --compare        time three ways to touch a region, side by side\n"
        "    --stride K     with --compare: touch every K-th page\n"
        "    --reps R       with --compare: repeat R times, report the median\n"
        "    --csv          with --compare: print CSV instead of a table\n"
        "  -h, --help, /?   print this text\n"
        "\n"
        "Exit codes: 0 ok, 1 setup failed, 2 bad command line, 3 not a page fault,\n"
        "4 out of pages, 5 commit failed, 6 release failed, 7 verify or compare\n"
        "check failed, "
        "8 a tour rule not as documented.\n"),
        PAGELIMIT, MAX_PAGES, PAGELIMIT, COMPARE_DEFAULT_PAGES);
}

// Print the reason and the usage on stderr; the caller exits with 2.
static int BadUsage(LPCTSTR lpReason, LPCTSTR lpWhat)
{
    _ftprintf(stderr, TEXT("pagefault_demo: %s: %s\n\n"), lpReason, lpWhat);
    PrintUsage(stderr);
    return EXIT_BAD_USAGE;
}

// A whole number from 1 to dwMax, digits only: no sign, no spaces, no rest.
static BOOL ParseCount(LPCTSTR lpText, DWORD dwMax, DWORD *pdwValue)
{
    ULONGLONG ullValue = 0;

    if (lpText == NULL || *lpText == TEXT('\0'))
        return FALSE;
    for (; *lpText != TEXT('\0'); lpText++)
    {
        if (*lpText < TEXT('0') || *lpText > TEXT('9'))
            return FALSE;
        ullValue = ullValue * 10 + (ULONGLONG)(*lpText - TEXT('0'));
        if (ullValue > dwMax)
            return FALSE;
    }
    if (ullValue == 0)
        return FALSE;
    *pdwValue = (DWORD)ullValue;
    return TRUE;
}

static BOOL IsOption(LPCTSTR lpArg, LPCTSTR lpName)
{
    return _tcscmp(lpArg, lpName) == 0;
}

// Returns an exit code to end with now (help, bad usage), or -1 to run.
static int ParseCommandLine(int argc, TCHAR *argv[], OPTIONS *pOpt)
{
    int n;
    BOOL bScenario = FALSE;

    ZeroMemory(pOpt, sizeof *pOpt);
    for (n = 1; n < argc; n++)
    {
        LPCTSTR lpArg = argv[n];
        LPCTSTR lpValue = (n + 1 < argc) ? argv[n + 1] : NULL;

        if (IsOption(lpArg, TEXT("/?")) || IsOption(lpArg, TEXT("-h")) || IsOption(lpArg, TEXT("--help")))
        {
            PrintUsage(stdout);
            return EXIT_OK;
        }
        else if (IsOption(lpArg, TEXT("--pages")) || IsOption(lpArg, TEXT("--stride")) ||
                 IsOption(lpArg, TEXT("--reps")))
        {
            DWORD *pdw = IsOption(lpArg, TEXT("--pages")) ? &pOpt->dwPagesAsked
                       : IsOption(lpArg, TEXT("--stride")) ? &pOpt->dwStride : &pOpt->dwReps;
            DWORD dwMax = (pdw == &pOpt->dwPagesAsked) ? MAX_PAGES : 1000;

            if (*pdw != 0)
                return BadUsage(TEXT("option given twice"), lpArg);
            if (lpValue == NULL)
                return BadUsage(TEXT("option needs a number"), lpArg);
            if (!ParseCount(lpValue, dwMax, pdw))
            {
                _ftprintf(stderr, TEXT("pagefault_demo: %s takes a whole number from 1 to %lu, not '%s'\n\n"),
                          lpArg, dwMax, lpValue);
                PrintUsage(stderr);
                return EXIT_BAD_USAGE;
            }
            n++;
        }
        else if (IsOption(lpArg, TEXT("--scenario")))
        {
            if (bScenario)
                return BadUsage(TEXT("option given twice"), lpArg);
            if (lpValue == NULL)
                return BadUsage(TEXT("option needs a scenario name"), lpArg);
            if (IsOption(lpValue, TEXT("overrun")))
                pOpt->scenario = SCENARIO_OVERRUN;
            else if (IsOption(lpValue, TEXT("not-a-fault")))
                pOpt->scenario = SCENARIO_NOT_A_FAULT;
            else if (IsOption(lpValue, TEXT("commit-fails")))
                pOpt->scenario = SCENARIO_COMMIT_FAILS;
            else
                return BadUsage(TEXT("unknown scenario"), lpValue);
            bScenario = TRUE;
            n++;
        }
        else
        {
            BOOL *pFlag = IsOption(lpArg, TEXT("-v")) || IsOption(lpArg, TEXT("--verbose")) ? &pOpt->bVerbose
                        : IsOption(lpArg, TEXT("--pause"))  ? &pOpt->bPause
                        : IsOption(lpArg, TEXT("--verify")) ? &pOpt->bVerify
                        : IsOption(lpArg, TEXT("--csv"))    ? &pOpt->bCsv
                        : NULL;
            MODE mode = IsOption(lpArg, TEXT("--tour")) ? MODE_TOUR
                      : IsOption(lpArg, TEXT("--compare")) ? MODE_COMPARE : MODE_DEMO;

            if (pFlag == NULL && mode == MODE_DEMO)
                return BadUsage(TEXT("unknown option"), lpArg);
            if ((pFlag != NULL && *pFlag) || (mode != MODE_DEMO && pOpt->mode == mode))
                return BadUsage(TEXT("option given twice"), lpArg);
            if (mode != MODE_DEMO && pOpt->mode != MODE_DEMO)
                return BadUsage(TEXT("--tour and --compare exclude each other"), lpArg);
            if (pFlag != NULL)
                *pFlag = TRUE;
            else
                pOpt->mode = mode;
        }
    }

    // Combinations that make no sense.
    if (pOpt->mode != MODE_COMPARE && (pOpt->dwStride || pOpt->dwReps || pOpt->bCsv))
        return BadUsage(TEXT("needs --compare"), pOpt->dwStride ? TEXT("--stride")
                        : pOpt->dwReps ? TEXT("--reps") : TEXT("--csv"));
    if (pOpt->mode == MODE_TOUR && (pOpt->dwPagesAsked || bScenario || pOpt->bVerbose || pOpt->bPause || pOpt->bVerify))
        return BadUsage(TEXT("--tour takes no other option"), TEXT("--tour"));
    if (pOpt->mode == MODE_COMPARE && (bScenario || pOpt->bVerbose || pOpt->bPause || pOpt->bVerify))
        return BadUsage(TEXT("--compare takes only --pages, --stride, --reps and --csv"), TEXT("--compare"));
    if (bScenario && (pOpt->bVerify || pOpt->bPause))
        return BadUsage(TEXT("a scenario ends in the __except block, before the release"),
                        pOpt->bVerify ? TEXT("--verify") : TEXT("--pause"));
    return -1;
}
