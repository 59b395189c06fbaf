// version.c - --version: what this exe is and what it runs on, one fact a
// line, so that a harness can tell one build from another (a GCC build and
// a clang build print the same trace, but run the filter differently).

#include "demo.h"

#define PROGRAM_VERSION "1.1"

// The compiler, from its own predefined macros (narrow strings).
#if defined(__clang__) && defined(_MSC_VER)
#define COMPILER_NAME "clang " __clang_version__ " (MSVC mode)"
#elif defined(__clang__)
#define COMPILER_NAME "clang " __clang_version__ " (GNU mode)"
#elif defined(__GNUC__)
#define COMPILER_NAME "GCC " __VERSION__
#elif defined(_MSC_VER)
#define COMPILER_NAME "MSVC (cl), _MSC_VER " COMPILER_STR(_MSC_FULL_VER)
#define COMPILER_STR(x) COMPILER_STR2(x)
#define COMPILER_STR2(x) #x
#else
#define COMPILER_NAME "unknown"
#endif

// The target the compiler built for.
#if defined(_M_ARM64) || defined(__aarch64__)
#define TARGET_NAME "ARM64"
#elif defined(_M_X64) || defined(__x86_64__)
#define TARGET_NAME "x64"
#elif defined(_M_IX86) || defined(__i386__)
#define TARGET_NAME "x86"
#elif defined(_M_ARM) || defined(__arm__)
#define TARGET_NAME "ARM"
#else
#define TARGET_NAME "unknown"
#endif

typedef LONG (WINAPI *RTL_GET_VERSION)(OSVERSIONINFOW *);
typedef const char *(CDECL *WINE_GET_VERSION)(void);

// The Windows version of the running system (learn.microsoft.com,
// "RtlGetVersion function"). Not GetVersionEx: for an exe without a
// manifest naming Windows 8.1 or later it reports 6.2 (learn.microsoft.com,
// "GetVersionExA function", Remarks). Wine's ntdll also exports
// wine_get_version (dlls/ntdll/ntdll.spec): printed where it is there.
static void PrintWindowsVersion(void)
{
    HMODULE hNtdll = GetModuleHandle(TEXT("ntdll.dll"));
    RTL_GET_VERSION pfnGetVersion = NULL;
    WINE_GET_VERSION pfnWine = NULL;
    OSVERSIONINFOW osv;

    if (hNtdll != NULL)
    {
        // Cast through FARPROC's generic pointer: the types differ on purpose.
        pfnGetVersion = (RTL_GET_VERSION)(void (*)(void))GetProcAddress(hNtdll, "RtlGetVersion");
        pfnWine = (WINE_GET_VERSION)(void (*)(void))GetProcAddress(hNtdll, "wine_get_version");
    }
    ZeroMemory(&osv, sizeof osv);
    osv.dwOSVersionInfoSize = sizeof osv;
    if (pfnGetVersion != NULL && pfnGetVersion(&osv) == 0)
        _tprintf(TEXT("Windows %lu.%lu build %lu (RtlGetVersion)"), osv.dwMajorVersion, osv.dwMinorVersion,
                 osv.dwBuildNumber);
    else
        _tprintf(TEXT("Windows version unknown (no RtlGetVersion)"));
    if (pfnWine != NULL)
    {
        fputs(", under Wine ", stdout);
        fputs(pfnWine(), stdout);
    }
    _tprintf(TEXT("\n"));
}

// See demo.h.
void PrintVersion(LPCTSTR lpPrefix)
{
    SYSTEM_INFO si;

    GetSystemInfo(&si);
    _tprintf(TEXT("%spagefault_demo "), lpPrefix);
    fputs(PROGRAM_VERSION "\n", stdout);
    _tprintf(TEXT("%scompiler: "), lpPrefix);
    fputs(COMPILER_NAME "\n", stdout);
    _tprintf(TEXT("%starget: "), lpPrefix);
    fputs(TARGET_NAME "\n", stdout);
#ifdef UNICODE
    _tprintf(TEXT("%scharacters: Unicode (TCHAR is WCHAR)\n"), lpPrefix);
#else
    _tprintf(TEXT("%scharacters: ANSI (TCHAR is char)\n"), lpPrefix);
#endif
    _tprintf(TEXT("%sexceptions: %s\n"), lpPrefix, GuardMechanismName());
    _tprintf(TEXT("%spages: %lu bytes, allocation granularity %lu bytes\n"), lpPrefix, si.dwPageSize,
             si.dwAllocationGranularity);
    _tprintf(TEXT("%ssystem: "), lpPrefix);
    PrintWindowsVersion();
}
