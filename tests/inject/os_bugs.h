// tests/inject/os_bugs.h - TEST ONLY: "OS bugs" for --selftest to find.
// tests/selftest.sh force-includes this header into every source file
// (-include tests/inject/os_bugs.h) to build one exe whose VirtualAlloc and
// VirtualFree misbehave in the way the environment variable
// PAGEFAULT_INJECT names (one kind; unset or empty: none). --selftest must
// then exit 11 and name the check that caught it; its children inherit
// the variable. Makefile.mingw and build.bat never include it: the
// shipped exe has no injection code at all.
//
// Kinds (PAGEFAULT_INJECT=<KIND>):
//   COMMIT_TWO_PAGES   a one-page MEM_COMMIT commits two pages (one, at the region's end)
//   RELEASE_NOTHING    MEM_RELEASE releases nothing and returns TRUE
//   READONLY_COMMIT    MEM_COMMIT gives PAGE_READONLY pages
//   COMMIT_NOTHING     MEM_COMMIT of reserved pages commits nothing and succeeds
//   RESERVE_COMMITS    MEM_RESERVE also commits (read/write): no fault ever comes
//   RELEASE_FAILS      MEM_RELEASE fails with ERROR_INVALID_PARAMETER
//   RELEASE_HANGS      the documented run's MEM_RELEASE never returns
//   CRASH_AT_RELEASE   an access violation outside any __try, at MEM_RELEASE
//   RECOMMIT_KEEPS_PROTECTION  MEM_COMMIT of a page committed already
//                      succeeds but keeps its old protection (Windows sets
//                      the new one: docs/SCENARIOS.md, read-only)

#ifndef INJECT_OS_BUGS_H
#define INJECT_OS_BUGS_H

#define __USE_MINGW_ANSI_STDIO 0    // As demo.h: before the first system header
#include <windows.h>
#include <string.h>

// InjectedKindIs(KIND): whether PAGEFAULT_INJECT names KIND exactly ("":
// unset or empty). The last error stays as it was: the program reads it
// after the real call.
static inline BOOL InjectedKindIs(const char *pszKind)
{
    char szKind[40];
    DWORD dwLastError = GetLastError();
    DWORD cch = GetEnvironmentVariableA("PAGEFAULT_INJECT", szKind, sizeof szKind);
    SetLastError(dwLastError);
    if (cch == 0 || cch >= sizeof szKind)
        szKind[0] = '\0';
    return strcmp(szKind, pszKind) == 0;
}

// With a kind injected, a check's time limit is 3 s: the hang, and the
// faults that never end (a read-only commit), would otherwise cost the
// full limit each. With none, --selftest's own limit.
#define SELFTEST_TIMEOUT_MS (InjectedKindIs("") ? 60000u : 3000u)

// VirtualAlloc as the injected bug has it. Below, the macro is not yet
// defined, so these calls reach the real function.
static inline LPVOID InjectedVirtualAlloc(LPVOID lpAddress, SIZE_T cb, DWORD dwType, DWORD dwProtect)
{
    if (InjectedKindIs("COMMIT_TWO_PAGES"))
    {
        SYSTEM_INFO si;
        GetSystemInfo(&si);
        if (dwType == MEM_COMMIT && cb == si.dwPageSize)
        {
            LPVOID lpTwo = VirtualAlloc(lpAddress, 2 * cb, dwType, dwProtect);
            if (lpTwo != NULL)
                return lpTwo;
        }
    }
    else if (InjectedKindIs("READONLY_COMMIT"))
    {
        if (dwType & MEM_COMMIT)
            dwProtect = PAGE_READONLY;
    }
    else if (InjectedKindIs("COMMIT_NOTHING"))
    {
        if (dwType == MEM_COMMIT && lpAddress != NULL)
            return lpAddress;
    }
    else if (InjectedKindIs("RECOMMIT_KEEPS_PROTECTION"))
    {
        MEMORY_BASIC_INFORMATION mbi;
        if (dwType == MEM_COMMIT && lpAddress != NULL && VirtualQuery(lpAddress, &mbi, sizeof mbi) != 0
            && mbi.State == MEM_COMMIT)
            dwProtect = mbi.Protect;
    }
    else if (InjectedKindIs("RESERVE_COMMITS"))
    {
        if (dwType == MEM_RESERVE)
        {
            dwType = MEM_RESERVE | MEM_COMMIT;
            dwProtect = PAGE_READWRITE;
        }
    }
    return VirtualAlloc(lpAddress, cb, dwType, dwProtect);
}

// VirtualFree as the injected bug has it.
static inline BOOL InjectedVirtualFree(LPVOID lpAddress, SIZE_T cb, DWORD dwType)
{
    // Every kind misbehaves at MEM_RELEASE only.
    if (dwType == MEM_RELEASE && InjectedKindIs("RELEASE_NOTHING"))
        return TRUE;
    if (dwType == MEM_RELEASE && InjectedKindIs("RELEASE_FAILS"))
    {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (dwType == MEM_RELEASE && InjectedKindIs("RELEASE_HANGS") && strstr(GetCommandLineA(), " --") == NULL)
        Sleep(INFINITE);        // Only the documented run (no options): the others stay quick
    if (dwType == MEM_RELEASE && InjectedKindIs("CRASH_AT_RELEASE"))
    {
        volatile int *volatile lpBad = (volatile int *)(ULONG_PTR)16;  // Unmapped; the compiler cannot see it
        *lpBad = 0;
    }
    return VirtualFree(lpAddress, cb, dwType);
}

#define VirtualAlloc InjectedVirtualAlloc
#define VirtualFree InjectedVirtualFree

#endif // INJECT_OS_BUGS_H
