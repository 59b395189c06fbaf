// Reserving and Committing Memory
//
// A short program to demonstrate dynamic memory allocation using a
// structured exception handler: reserve a region, let the loop fault on
// each untouched page, and commit exactly one page per fault from the
// exception filter. This file is the documented Win32 sample, step by step
// and with its names; every place where it differs on purpose is marked
// "DIFFERS:" and listed, with the reason, in README.md. Everything extra
// lives in the other files of src/ (see demo.h for the list). This file
// owns the demo's globals; no other file writes them.

#include "demo.h"               // DIFFERS: what the files share (first: it pins the C runtime's printf)
#include <windows.h>
#include <tchar.h>
#include <stdio.h>
#include <stdlib.h>             // For exit

#define PAGELIMIT 80            // Number of pages to ask for

LPBYTE lpNxtPage;               // Address of the next page to ask for (DIFFERS: a byte pointer)
DWORD dwPages = 0;              // Count of pages gotten so far
DWORD dwPageSize;               // Page size on this computer

// DIFFERS: what the filter must reach besides the sample's globals. The
// filter runs inside the system's exception dispatch, in the middle of the
// loop, so what it reads or keeps from one fault to the next is global.
static DWORD dwPageLimit = PAGELIMIT; // Pages the filter may commit (--pages, --scenario)
static LPBYTE lpRegionBase;           // Start of the reserved region (--verbose)
static DWORD dwRegionPages;           // Pages in the reserved region (--verbose)
// These two are read after the loop; volatile, since on GCC the filter runs
// from a handler the compiler does not see being called from the loop.
static volatile DWORD dwFaults = 0;   // Access violations the filter has seen (--verify)
static volatile DWORD dwLastCode;     // The code the filter saw last (the exit code)

// The exception filter: commit the next page if the exception is a page
// fault and pages are left, else hand over to the __except block.
// DIFFERS: it also receives GetExceptionInformation(), for --verbose.
INT PageFaultExceptionFilter(DWORD dwCode, EXCEPTION_POINTERS *lpInfo)
{
    LPVOID lpvResult;

    dwLastCode = dwCode;        // DIFFERS: kept for the exit code, should the __except block run

    // If the exception is not a page fault, exit.

    if (dwCode != EXCEPTION_ACCESS_VIOLATION)
    {
        // DIFFERS: the code in hex, as Windows documents exception codes.
        _tprintf(TEXT("Exception code = 0x%08lX.\n"), dwCode);
        return EXCEPTION_EXECUTE_HANDLER;
    }

    _tprintf(TEXT("Exception is a page fault.\n"));
    dwFaults++;                 // DIFFERS: counted for --verify
    ReportFault(lpInfo, dwFaults, lpRegionBase, dwRegionPages, dwPages, dwPageLimit); // DIFFERS: --verbose

    // If the reserved pages are used up, exit.

    if (dwPages >= dwPageLimit)
    {
        _tprintf(TEXT("Exception: out of pages.\n"));
        return EXCEPTION_EXECUTE_HANDLER;
    }

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

    ReportCommit(lpNxtPage, lpRegionBase, dwRegionPages); // DIFFERS: --verbose, --step

    // Increment the page count, and advance lpNxtPage to the next page.

    dwPages++;
    lpNxtPage = lpNxtPage + dwPageSize;

    // Continue execution where the page fault occurred.

    return EXCEPTION_CONTINUE_EXECUTION;
}

// Says what failed, with the last Win32 error code, and ends the process.
// DIFFERS: exits non-zero (the sample's exit(0) reported success), and
// takes an LPCTSTR, since every caller passes a string literal.
VOID ErrorExit(LPCTSTR lpMsg)
{
    _tprintf(TEXT("Error! %s with error code of %lu.\n"), lpMsg, GetLastError());
    exit(EXIT_SETUP_FAILED);
}

// The body of the __except block: the filter could not commit a page.
// DIFFERS: a function, not inline in the __except block, because on GCC
// guard.c's handler must call the same code. It flushes stdout (ExitProcess does not) and exits with a code
// that names the branch the filter took, even when GetLastError() is 0.
void ExitProcessAfterFilterGaveUp(void)
{
    UINT uExitCode;

    CheckedFilterExitIfItGaveUp();  // DIFFERS: --filter checked ends with its own branch's code (filter_checked.c)
    ReportFilterGaveUp(dwLastCode, dwPages, dwPageLimit, lpNxtPage); // DIFFERS: --verbose
    _tprintf(TEXT("Exiting process.\n"));

    if (dwLastCode != EXCEPTION_ACCESS_VIOLATION)
        uExitCode = EXIT_NOT_A_PAGE_FAULT;
    else if (dwPages >= dwPageLimit)
        uExitCode = EXIT_OUT_OF_PAGES;
    else
        uExitCode = EXIT_COMMIT_FAILED;

    FlushStdoutOrExit();        // DIFFERS: lost output (stdout closed, disk full) ends with exit code 12
    ExitProcess(uExitCode);
}

// Reserve the region, touch every byte under the filter, release it.
// DIFFERS: takes the command line (the sample has VOID _tmain(VOID)) and
// returns the exit code; the locals after sSysInfo serve the options.
int _tmain(int argc, TCHAR *argv[])
{
    LPVOID lpvBase;               // Base address of the test memory
    volatile BYTE *lpPtr;         // DIFFERS: bytes, not TCHARs (see README); volatile keeps the write in the guard
    BOOL bSuccess;                // Flag
    SIZE_T i;                     // DIFFERS: SIZE_T, as a DWORD byte index overflows at 4 GiB
    SYSTEM_INFO sSysInfo;         // Useful information about the system
    OPTIONS opt;                  // DIFFERS: the command line, and what it asks for
    SIZE_T cbTouch;               // Bytes the loop writes
    SIZE_T cbDivideByZeroAt;      // Loop index of --scenario not-a-fault's division
    DWORD dwTouchPages;           // Pages the loop writes
    BOOL bVerified = TRUE;        // --verify found nothing wrong
    SIZE_T cbEventAt;             // Loop index of --scenario stray-write's or decommit's event
    GUARD_FILTER pfnFilter;       // --filter: the sample's filter, or filter_checked.c's
    int nExit;

    InstallCrashContainment(argc, argv); // DIFFERS: a crash or lost stdout gets one stderr line and exit 13 or 12 (crash.c)
    // DIFFERS: read the command line first; nothing is reserved before it is known to be good.
    nExit = ParseCommandLine(argc, argv, PAGELIMIT, &opt);
    if (nExit >= 0)
        return nExit;
    InstallCtrlHandler();         // DIFFERS: Ctrl-C and Ctrl-Break exit with code 9, not 0 (console.c)
    if (opt.mode == MODE_TOUR)    // DIFFERS: the labs run instead of the demo
        return RunTour(&opt);
    if (opt.mode == MODE_COMPARE)
        return RunCompare(&opt);
    WatchStart(&opt);             // DIFFERS: --verbose, --step

    GetSystemInfo(&sSysInfo);     // Initialize the structure.

    _tprintf(TEXT("This computer has page size %lu.\n"), sSysInfo.dwPageSize); // DIFFERS: %lu for a DWORD

    dwPageSize = sSysInfo.dwPageSize;

    // DIFFERS: the scenarios' set-up: how many pages the region has
    // (PAGELIMIT, or --pages), how many the loop touches and the filter may
    // commit (dwPageLimit replaces PAGELIMIT there), where a division fails.
    if (opt.dwPagesAsked != 0)
        dwPageLimit = opt.dwPagesAsked;
    dwRegionPages = dwPageLimit;
    dwTouchPages = dwPageLimit;
    if (opt.scenario == SCENARIO_OVERRUN)
        dwTouchPages = dwRegionPages + 1;     // One page past the end
    if (opt.scenario == SCENARIO_COMMIT_FAILS)
    {
        dwPageLimit = dwRegionPages + 1;      // The filter may go past the end
        dwTouchPages = dwRegionPages + 1;
    }
    if (dwTouchPages > (SIZE_T)-1 / dwPageSize)
    {
        SetLastError(ERROR_ARITHMETIC_OVERFLOW);
        ErrorExit(TEXT("The region's size does not fit a SIZE_T"));
    }
    cbTouch = (SIZE_T)dwTouchPages * dwPageSize;
    // The last byte of page 1: after one fault and commit, and inside a one-page region too.
    cbDivideByZeroAt = (opt.scenario == SCENARIO_NOT_A_FAULT) ? dwPageSize - 1 : (SIZE_T)-1;
    cbEventAt = (opt.scenario == SCENARIO_STRAY_WRITE || opt.scenario == SCENARIO_DECOMMIT)
              ? dwPageSize - 1 : (SIZE_T)-1;

    // Reserve pages in the virtual address space of the process.

    // DIFFERS: the scenarios reserve where the page after the region is free.
    if (opt.scenario == SCENARIO_NONE)
        lpvBase = VirtualAlloc(
                         NULL,                      // System selects address
                         (SIZE_T)dwRegionPages * dwPageSize, // Size of allocation
                         MEM_RESERVE,               // Allocate reserved pages
                         PAGE_NOACCESS);            // Protection = no access
    else
        lpvBase = ReserveWithFreePageAfter((SIZE_T)dwRegionPages * dwPageSize,
                                           opt.scenario == SCENARIO_OVERRUN ||
                                           opt.scenario == SCENARIO_STRAY_WRITE);
    if (lpvBase == NULL )
        ErrorExit(TEXT("VirtualAlloc reserve failed")); // DIFFERS: no stray period before "with"

    lpPtr = lpNxtPage = lpRegionBase = (LPBYTE) lpvBase; // DIFFERS: lpRegionBase, for --verbose

    // DIFFERS: the new scenarios' set-up, --order, and --filter's choice
    // (on GCC guard.c's stand-in for __except calls it too).
    ScenarioBeforeLoop(opt.scenario, lpRegionBase, dwRegionPages);
    OrderStart(opt.order, dwTouchPages, dwPageSize);
    pfnFilter = (opt.filter == FILTER_CHECKED) ? CheckedPageFaultFilter : PageFaultExceptionFilter;
    CheckedFilterStart(lpRegionBase, dwRegionPages);
    GuardUseFilter(pfnFilter);

    // Use structured exception handling when accessing the pages.
    // If a page fault occurs, the exception filter is executed to
    // commit another page from the reserved block of pages.
    // (DIFFERS: on GCC, __try and __except are macros over guard.c's
    // vectored handler, see demo.h: the __except line and block never run
    // there, so change PageFaultExceptionFilter and
    // ExitProcessAfterFilterGaveUp, not their calls below.)

    for (i = 0; i < cbTouch; i++)   // DIFFERS: cbTouch, the region or one page more
    {
        __try
        {
            if (i == cbDivideByZeroAt)      // DIFFERS: only in --scenario not-a-fault
                RaiseIntegerDivideByZero();
            if (i == cbEventAt)             // DIFFERS: only in --scenario stray-write and decommit
                ScenarioEvent(opt.scenario, lpRegionBase, (SIZE_T)dwRegionPages * dwPageSize);

            // Write to memory.

            lpPtr[opt.order == ORDER_FORWARD ? i : OrderedByte(i)] = 'a'; // DIFFERS: --order
        }

        // If there's a page fault, commit another page and try again.

        // DIFFERS: the filter also gets GetExceptionInformation(), and
        // pfnFilter is PageFaultExceptionFilter unless --filter checked.
        __except ( pfnFilter( GetExceptionCode(), GetExceptionInformation() ) )
        {

            // This code is executed only if the filter function
            // is unsuccessful in committing the next page.

            ExitProcessAfterFilterGaveUp();     // DIFFERS: the body as a function

        }
    }

    ScenarioAfterLoop(opt.scenario, lpRegionBase, dwRegionPages); // DIFFERS: --scenario read-only

    // DIFFERS: --verify and --pause look at the region before the release.
    if (opt.bVerify)
        bVerified = VerifyAfterLoop(lpRegionBase, dwRegionPages, dwFaults + CheckedFilterFaults(), dwTouchPages);
    if (opt.bPause)
        PauseBeforeRelease(lpRegionBase);

    // Release the block of pages when you are finished using them.

    bSuccess = VirtualFree(
                       lpvBase,       // Base address of block
                       0,             // Bytes of committed pages
                       MEM_RELEASE);  // Decommit the pages
    // (DIFFERS: a note on the sample's comment. MEM_RELEASE does more than
    // decommit: it releases the whole reservation, committed pages and all,
    // so the addresses become free; MEM_DECOMMIT would leave them reserved.)

    // DIFFERS: two plain strings (no %s of a TCHAR string), and a failed release exits non-zero.
    if (bSuccess)
    {
        _tprintf(TEXT("Release succeeded.\n"));
        ReportAfterRelease();     // DIFFERS: --verbose
    }
    else
    {
        _tprintf(TEXT("Release failed with error code of %lu.\n"), GetLastError());
        return EXIT_RELEASE_FAILED;
    }

    if (opt.bVerify)              // DIFFERS: --verify looks again after it
        bVerified &= VerifyAfterRelease(lpRegionBase);

    return bVerified ? EXIT_OK : EXIT_VERIFY_FAILED;
}
