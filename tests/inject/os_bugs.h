// tests/inject/os_bugs.h - TEST ONLY: "OS bugs" for --selftest to find.
// tests/selftest.sh force-includes this header into every source file
// (-include tests/inject/os_bugs.h -DINJECT_<KIND>) to build an exe whose
// VirtualAlloc and VirtualFree misbehave in one way; --selftest must then
// exit 11 and name the check that caught it. Makefile.mingw and build.bat
// never include it: the shipped exe has no injection code at all.
//
// Kinds (one -D each):
//   INJECT_COMMIT_TWO_PAGES   a one-page MEM_COMMIT commits two pages (one, at the region's end)
//   INJECT_RELEASE_NOTHING    MEM_RELEASE releases nothing and returns TRUE
//   INJECT_READONLY_COMMIT    MEM_COMMIT gives PAGE_READONLY pages
//   INJECT_COMMIT_NOTHING     MEM_COMMIT of reserved pages commits nothing and succeeds
//   INJECT_RESERVE_COMMITS    MEM_RESERVE also commits (read/write): no fault ever comes
//   INJECT_RELEASE_FAILS      MEM_RELEASE fails with ERROR_INVALID_PARAMETER
//   INJECT_RELEASE_HANGS      the documented run's MEM_RELEASE never returns
//   INJECT_CRASH_AT_RELEASE   an access violation outside any __try, at MEM_RELEASE
//   INJECT_RECOMMIT_KEEPS_PROTECTION  MEM_COMMIT of a page committed already
//                             succeeds but keeps its old protection (Windows sets
//                             the new one: docs/SCENARIOS.md, read-only)

#ifndef INJECT_OS_BUGS_H
#define INJECT_OS_BUGS_H

#define __USE_MINGW_ANSI_STDIO 0    // As demo.h: before the first system header
#include <windows.h>
#include <string.h>

// The hang would otherwise cost --selftest's full time limit.
#define SELFTEST_TIMEOUT_MS 3000

// VirtualAlloc as the injected bug has it. Below, the macro is not yet
// defined, so these calls reach the real function.
static inline LPVOID InjectedVirtualAlloc(LPVOID lpAddress, SIZE_T cb, DWORD dwType, DWORD dwProtect)
{
#if defined(INJECT_COMMIT_TWO_PAGES)
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    if (dwType == MEM_COMMIT && cb == si.dwPageSize)
    {
        LPVOID lpTwo = VirtualAlloc(lpAddress, 2 * cb, dwType, dwProtect);
        if (lpTwo != NULL)
            return lpTwo;
    }
#elif defined(INJECT_READONLY_COMMIT)
    if (dwType & MEM_COMMIT)
        dwProtect = PAGE_READONLY;
#elif defined(INJECT_COMMIT_NOTHING)
    if (dwType == MEM_COMMIT && lpAddress != NULL)
        return lpAddress;
#elif defined(INJECT_RECOMMIT_KEEPS_PROTECTION)
    MEMORY_BASIC_INFORMATION mbi;
    if (dwType == MEM_COMMIT && lpAddress != NULL && VirtualQuery(lpAddress, &mbi, sizeof mbi) != 0
        && mbi.State == MEM_COMMIT)
        dwProtect = mbi.Protect;
#elif defined(INJECT_RESERVE_COMMITS)
    if (dwType == MEM_RESERVE)
    {
        dwType = MEM_RESERVE | MEM_COMMIT;
        dwProtect = PAGE_READWRITE;
    }
#endif
    return VirtualAlloc(lpAddress, cb, dwType, dwProtect);
}

// VirtualFree as the injected bug has it.
static inline BOOL InjectedVirtualFree(LPVOID lpAddress, SIZE_T cb, DWORD dwType)
{
#if defined(INJECT_RELEASE_NOTHING)
    if (dwType == MEM_RELEASE)
        return TRUE;
#elif defined(INJECT_RELEASE_FAILS)
    if (dwType == MEM_RELEASE)
    {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
#elif defined(INJECT_RELEASE_HANGS)
    if (dwType == MEM_RELEASE && strstr(GetCommandLineA(), " --") == NULL)
        Sleep(INFINITE);        // Only the documented run (no options): the others stay quick
#elif defined(INJECT_CRASH_AT_RELEASE)
    if (dwType == MEM_RELEASE)
    {
        volatile int *volatile lpBad = (volatile int *)(ULONG_PTR)16;  // Unmapped; the compiler cannot see it
        *lpBad = 0;
    }
#endif
    return VirtualFree(lpAddress, cb, dwType);
}

#define VirtualAlloc InjectedVirtualAlloc
#define VirtualFree InjectedVirtualFree

#endif // INJECT_OS_BUGS_H
