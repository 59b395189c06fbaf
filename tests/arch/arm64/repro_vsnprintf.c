/* repro_vsnprintf.c - a va_list handed to msvcrt's _vsnprintf.
 *
 * A Windows ARM64 va_list is a plain pointer to the arguments' 8-byte
 * slots (char *); an AAPCS64 (Linux) va_list is a 32-byte struct whose
 * first member is a pointer to the arguments on the stack. A _vsnprintf
 * built for AAPCS64 reads our slots as that struct: the first argument,
 * 42, becomes a pointer, and the read faults at address 0x2A. strsafe's
 * StringCchPrintf, and so the demo's --compare table and --selftest, go
 * through _vsnprintf. Prints, on Windows:
 *   before _vsnprintf
 *   _vsnprintf gave 2: 42
 * Where it crashes, the unhandled-exception filter below prints the
 * exception and the address read, and the exit code is 1.
 */
/* msvcrt's functions, as the demo uses them (src/demo.h), not MinGW-w64's */
#define __USE_MINGW_ANSI_STDIO 0
#include <windows.h>
#include <stdarg.h>
#include <stdio.h>

/* As strsafe's StringCchPrintf does: `...` to a va_list to _vsnprintf. */
static int Format(char *buf, size_t cch, const char *fmt, ...)
{
    va_list args;
    int n;

    va_start(args, fmt);
    n = _vsnprintf(buf, cch, fmt, args);
    va_end(args);
    return n;
}

/* A crash: one line naming the exception and, for an access violation,
 * the address read or written; then exit code 1 (without it, Wine starts
 * its debugger, which prints a line with a process id on stdout). */
static LONG WINAPI Crashed(EXCEPTION_POINTERS *pep)
{
    const EXCEPTION_RECORD *per = pep->ExceptionRecord;

    printf("_vsnprintf crashed: exception 0x%08lX at address 0x%llX\n", per->ExceptionCode,
           per->NumberParameters >= 2 ? (unsigned long long)per->ExceptionInformation[1] : 0ULL);
    fflush(stdout);
    ExitProcess(1);
}

int main(void)
{
    char sz[32] = "";
    int n;

    SetUnhandledExceptionFilter(Crashed);
    printf("before _vsnprintf\n");
    fflush(stdout);     // What comes before a crash is not lost
    n = Format(sz, sizeof sz - 1, "%d", 42);
    printf("_vsnprintf gave %d: %s\n", n, sz);
    return 0;
}
