/* repro_brk_f004.c - which exception "brk #0xF004" raises.
 *
 * On ARM64 an integer division by zero does not trap, so MSVC guards each
 * division with "brk #0xF004", and Windows reports that break code as
 * EXCEPTION_INT_DIVIDE_BY_ZERO (0xC0000094); --scenario not-a-fault does
 * the same (src/scenario.c). Wine 8's arm64 signal handler reports every
 * brk as EXCEPTION_BREAKPOINT (0x80000003). Prints one line:
 *   brk #0xF004 raised 0xC0000094
 */
/* msvcrt's printf, as the demo uses it (src/demo.h), not MinGW-w64's own */
#define __USE_MINGW_ANSI_STDIO 0
#include <windows.h>
#include <stdio.h>

void __break(int);              /* A clang builtin on ARM64 */

static DWORD g_dwCode;

/* Records the exception's code and handles it. */
static int RecordCode(DWORD dwCode)
{
    g_dwCode = dwCode;
    return EXCEPTION_EXECUTE_HANDLER;
}

int main(void)
{
    __try
    {
        __break(0xF004);
    }
    __except (RecordCode(GetExceptionCode()))
    {
    }
    printf("brk #0xF004 raised 0x%08lX\n", (unsigned long)g_dwCode);
    return 0;
}
