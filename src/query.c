// query.c - what VirtualQuery and GetSystemInfo tell about memory: the names
// of states and protections, counts of committed pages, and the region map.
// Reads memory state only; changes nothing.

#include "demo.h"
#include <psapi.h>

// See demo.h.
DWORD SystemPageSize(void)
{
    static DWORD dwCached;
    SYSTEM_INFO si;

    if (dwCached == 0)
    {
        GetSystemInfo(&si);
        dwCached = si.dwPageSize;
    }
    return dwCached;
}

// The process's memory counters into *pmc; all 0 if the system does not say.
static void ReadProcessCounters(PROCESS_MEMORY_COUNTERS_EX *pmc)
{
    ZeroMemory(pmc, sizeof *pmc);
    pmc->cb = sizeof *pmc;
    if (!K32GetProcessMemoryInfo(GetCurrentProcess(), (PROCESS_MEMORY_COUNTERS *)pmc, sizeof *pmc))
        ZeroMemory(pmc, sizeof *pmc);
}

// See demo.h.
SIZE_T ProcessWorkingSetBytes(void)
{
    PROCESS_MEMORY_COUNTERS_EX pmc;

    ReadProcessCounters(&pmc);
    return pmc.WorkingSetSize;
}

// See demo.h.
SIZE_T ProcessPrivateBytes(void)
{
    PROCESS_MEMORY_COUNTERS_EX pmc;

    ReadProcessCounters(&pmc);
    return pmc.PrivateUsage;
}

// See demo.h. A running process has always taken page faults and has
// always committed memory (its stack, its image's data), so 0 from
// GetProcessMemoryInfo means "not reported" (Wine), never a measurement.
void ReadSystemCounters(SYSTEM_COUNTERS *pc)
{
    PROCESS_MEMORY_COUNTERS_EX pmc;
    PERFORMANCE_INFORMATION pi;

    ZeroMemory(pc, sizeof *pc);
    ReadProcessCounters(&pmc);
    pc->dwPageFaults = pmc.PageFaultCount;
    pc->cbPrivate = pmc.PrivateUsage;
    ZeroMemory(&pi, sizeof pi);
    pi.cb = sizeof pi;
    if (K32GetPerformanceInfo(&pi, sizeof pi) && pi.CommitLimit != 0 && pi.PageSize != 0)
    {
        // Pages times PageSize, as PERFORMANCE_INFORMATION counts in pages;
        // in KiB, so that 32-bit code needs no 64-bit arithmetic.
        pc->cKiBCommitTotal = pi.CommitTotal * (pi.PageSize / 1024);
        pc->cKiBCommitLimit = pi.CommitLimit * (pi.PageSize / 1024);
    }
}

// "  NAME VALUE KiB" or "  NAME not reported by this system", one line.
static void PrintCounterKiB(LPCTSTR lpName, SIZE_T cKiB)
{
    if (cKiB == 0)
        _tprintf(TEXT("    %-28s not reported by this system\n"), lpName);
    else
        _tprintf(TEXT("    %-28s %lu KiB\n"), lpName, (DWORD)cKiB);
}

// See demo.h.
void PrintSystemCounters(LPCTSTR lpWhen, const SYSTEM_COUNTERS *pc)
{
    _tprintf(TEXT("  the system's counters %s:\n"), lpWhen);
    if (pc->dwPageFaults == 0)
        _tprintf(TEXT("    %-28s not reported by this system\n"), TEXT("PageFaultCount (page faults)"));
    else
        _tprintf(TEXT("    %-28s %lu\n"), TEXT("PageFaultCount (page faults)"), pc->dwPageFaults);
    PrintCounterKiB(TEXT("PrivateUsage (commit charge)"), pc->cbPrivate / 1024);
    PrintCounterKiB(TEXT("CommitTotal (whole system)"), pc->cKiBCommitTotal);
    PrintCounterKiB(TEXT("CommitLimit (whole system)"), pc->cKiBCommitLimit);
}

// The name of a MEMORY_BASIC_INFORMATION State value.
LPCTSTR StateName(DWORD dwState)
{
    switch (dwState)
    {
    case MEM_COMMIT:  return TEXT("MEM_COMMIT");
    case MEM_RESERVE: return TEXT("MEM_RESERVE");
    case MEM_FREE:    return TEXT("MEM_FREE");
    default:          return TEXT("MEM_?");
    }
}

// The name of a page protection; "none" for 0, which VirtualQuery reports
// for pages that are not committed.
LPCTSTR ProtectName(DWORD dwProtect)
{
    switch (dwProtect)
    {
    case 0:                 return TEXT("none");
    case PAGE_NOACCESS:     return TEXT("PAGE_NOACCESS");
    case PAGE_READONLY:     return TEXT("PAGE_READONLY");
    case PAGE_READWRITE:    return TEXT("PAGE_READWRITE");
    case PAGE_EXECUTE_READWRITE: return TEXT("PAGE_EXECUTE_READWRITE");
    case PAGE_READWRITE | PAGE_GUARD: return TEXT("PAGE_READWRITE | PAGE_GUARD");
    default:                return TEXT("PAGE_?");
    }
}

// See demo.h. For reserved pages, the protection their reservation asked
// for (AllocationProtect), since Protect is 0 there.
void PrintQuery(LPCTSTR lpLabel, LPVOID lpAddress)
{
    MEMORY_BASIC_INFORMATION mbi;

    if (VirtualQuery(lpAddress, &mbi, sizeof mbi) == 0)
        _tprintf(TEXT("  %s VirtualQuery failed with error code of %lu\n"), lpLabel, GetLastError());
    else if (mbi.State == MEM_FREE)     // Its size is the free gap: no use here
        _tprintf(TEXT("  %s %p: MEM_FREE, not reserved\n"), lpLabel, mbi.BaseAddress);
    else if (mbi.State == MEM_RESERVE)
        _tprintf(TEXT("  %s %p: %lu page(s) MEM_RESERVE, reserved %s\n"), lpLabel, mbi.BaseAddress,
                 (DWORD)(mbi.RegionSize / SystemPageSize()), ProtectName(mbi.AllocationProtect));
    else
        _tprintf(TEXT("  %s %p: %lu page(s) %s %s\n"), lpLabel, mbi.BaseAddress,
                 (DWORD)(mbi.RegionSize / SystemPageSize()), StateName(mbi.State), ProtectName(mbi.Protect));
}

// See demo.h. One VirtualQuery per run of pages of the same state, so a
// large region costs a few calls, not one per page.
DWORD CountCommittedPages(LPBYTE lpFirst, DWORD dwCount, DWORD *pdwReadWrite)
{
    DWORD dwPageSize = SystemPageSize();
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

// See demo.h: at most 56 cells, each '#' when all its pages are committed,
// '+' when some are, '.' when none is; then committed/total.
void PrintRegionMap(LPBYTE lpBase, DWORD dwRegionPages)
{
    enum { MAP_CELLS = 56 };    // "  map [" + 56 cells + "] 1048576/1048576" = 80 columns
    TCHAR szMap[MAP_CELLS + 1];
    DWORD dwPageSize = SystemPageSize();
    DWORD dwCells = (dwRegionPages < MAP_CELLS) ? dwRegionPages : MAP_CELLS;
    DWORD dwCommitted = 0;
    DWORD dwCell;

    for (dwCell = 0; dwCell < dwCells; dwCell++)
    {
        // MulDiv: no 64-bit division, which 32-bit MSVC-mode code would call a helper for.
        DWORD dwFirst = (DWORD)MulDiv((int)dwCell, (int)dwRegionPages, (int)dwCells);
        DWORD dwEnd = (DWORD)MulDiv((int)dwCell + 1, (int)dwRegionPages, (int)dwCells);
        DWORD dwInCell = CountCommittedPages(lpBase + (SIZE_T)dwFirst * dwPageSize, dwEnd - dwFirst, NULL);

        dwCommitted += dwInCell;
        szMap[dwCell] = (TCHAR)((dwInCell == dwEnd - dwFirst) ? TEXT('#') : (dwInCell ? TEXT('+') : TEXT('.')));
    }
    szMap[dwCells] = TEXT('\0');
    _tprintf(TEXT("  map [%s] %lu/%lu\n"), szMap, dwCommitted, dwRegionPages);
}
