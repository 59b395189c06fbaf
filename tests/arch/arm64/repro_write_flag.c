/* repro_write_flag.c - an access violation's read/write flag.
 *
 * For EXCEPTION_ACCESS_VIOLATION, ExceptionInformation[0] is 0 for a read
 * and 1 for a write (8 for DEP), ExceptionInformation[1] the address
 * (EXCEPTION_RECORD, Microsoft Learn). The demo's filter prints neither, but
 * a filter that tells writes from reads would go wrong where the flag is
 * always 0. Prints two lines, on Windows:
 *   read of a reserved page: 0xC0000005, flag 0, address ok
 *   write to a reserved page: 0xC0000005, flag 1, address ok
 */
/* msvcrt's printf, as the demo uses it (src/demo.h), not MinGW-w64's own */
#define __USE_MINGW_ANSI_STDIO 0
#include <windows.h>
#include <stdio.h>

static DWORD g_dwCode;
static ULONG_PTR g_uFlag, g_uAddress;

/* Records the exception's code, flag and address, and handles it. */
static int Record(EXCEPTION_POINTERS *pInfo)
{
    g_dwCode = pInfo->ExceptionRecord->ExceptionCode;
    g_uFlag = pInfo->ExceptionRecord->ExceptionInformation[0];
    g_uAddress = pInfo->ExceptionRecord->ExceptionInformation[1];
    return EXCEPTION_EXECUTE_HANDLER;
}

/* Prints what Record saw for an access to pPage. */
static void Report(const char *szWhat, volatile char *pPage)
{
    printf("%s a reserved page: 0x%08lX, flag %lu, address %s\n", szWhat,
           (unsigned long)g_dwCode, (unsigned long)g_uFlag,
           g_uAddress == (ULONG_PTR)pPage ? "ok" : "wrong");
}

int main(void)
{
    volatile char *pPage = (volatile char *)VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS);
    char c = 0;

    if (pPage == NULL)
    {
        printf("VirtualAlloc failed with error %lu\n", (unsigned long)GetLastError());
        return 1;
    }
    __try
    {
        c = pPage[0];
    }
    __except (Record(GetExceptionInformation()))
    {
    }
    Report("read of", pPage);
    __try
    {
        pPage[0] = c;
    }
    __except (Record(GetExceptionInformation()))
    {
    }
    Report("write to", pPage);
    return 0;
}
