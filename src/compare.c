// compare.c - --compare: three ways to touch the pages of a region, measured
// side by side in one run. Works on regions of its own only.

#include "demo.h"
#include <psapi.h>

// Three ways to touch the pages of a region, measured side by side in one
// run. Each way allocates, touches every dwStride-th page once (one byte,
// whose value depends on the page), and is timed from allocation to the last
// touch; then its committed bytes, its commit charge and the touched bytes
// are checked, and the region is released.
#define COMPARE_WAYS          3

typedef enum { WAY_ON_DEMAND, WAY_UP_FRONT, WAY_EXPLICIT } WAY;

// The name of a way, for the table.
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

// The byte each way writes to page dwPage.
static BYTE TouchValue(DWORD dwPage)
{
    return (BYTE)(dwPage * 7 + 1);      // Never 0, the value of a fresh page
}

// The process's commit charge in bytes (0 where the system does not say).
static SIZE_T PrivateUsage(void)
{
    PROCESS_MEMORY_COUNTERS_EX pmc;

    ZeroMemory(&pmc, sizeof pmc);
    pmc.cb = sizeof pmc;
    if (!K32GetProcessMemoryInfo(GetCurrentProcess(), (PROCESS_MEMORY_COUNTERS *)&pmc, sizeof pmc))
        return 0;
    return pmc.PrivateUsage;
}

// Runs one way once on a region of its own: allocate, touch every
// dwStride-th page, then measure and check it into *pResult, and release.
static void RunWay(int nWay, DWORD dwRegionPages, DWORD dwStride, WAY_RESULT *pResult)
{
    DWORD dwPageSize = SystemPageSize();
    FAULT_LOG log;
    LARGE_INTEGER liFreq, liStart, liEnd;
    SIZE_T cbRegion = (SIZE_T)dwRegionPages * dwPageSize;
    SIZE_T cbChargeBefore = PrivateUsage();
    SIZE_T cbChargeAfter;
    DWORD dwTouched = 0;
    DWORD dwPage;
    LPBYTE lpBase;

    ZeroMemory(&log, sizeof log);
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
            GuardedAccess(lpByte, TRUE, TouchValue(dwPage), &log);
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
    pResult->dwFaults = log.dwFaults;
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

// qsort's order for doubles, smallest first.
static int CompareDoubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

// See demo.h.
int RunCompare(const OPTIONS *pOpt)
{
    DWORD dwPageSize;
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
                szBar[n] = (TCHAR)((n < nLen) ? TEXT('#') : TEXT(' '));
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
