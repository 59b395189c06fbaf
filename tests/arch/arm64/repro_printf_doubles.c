/* repro_printf_doubles.c - doubles passed to msvcrt's printf.
 *
 * The Windows ARM64 ABI passes every argument of a variadic function,
 * floating point included, in the integer registers x0-x7 and then on the
 * stack ("Overview of ARM64 ABI conventions", Microsoft Learn); the Linux
 * one (AAPCS64) passes doubles in the vector registers v0-v7. --compare
 * prints its timings this way. Prints, on Windows:
 *   1.5 2.5
 *   1.5 2.5 3.5 4.5 5.5 6.5 7.5 8.5 9.5
 *   7 1.500 (0.250..2.750) 0.50x 9
 * (the last as --compare's table lays out a row: an integer, four doubles,
 * an integer).
 */
/* msvcrt's printf, as the demo uses it (src/demo.h), not MinGW-w64's own */
#define __USE_MINGW_ANSI_STDIO 0
#include <stdio.h>

/* MSVC-mode clang marks floating-point code with a reference to _fltused,
 * which MinGW-w64's runtime does not define (as src/guard.c). */
#if defined(_MSC_VER) && defined(__MINGW64_VERSION_MAJOR)
int _fltused = 0;
#endif

/* Not constants the compiler could fold into the format. */
static volatile double g_d[] = { 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 0.25, 2.75, 0.5 };

int main(void)
{
    printf("%.1f %.1f\n", g_d[0], g_d[1]);
    printf("%.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f\n", g_d[0], g_d[1], g_d[2],
           g_d[3], g_d[4], g_d[5], g_d[6], g_d[7], g_d[8]);
    printf("%d %.3f (%.3f..%.3f) %.2fx %d\n", 7, g_d[0], g_d[9], g_d[10], g_d[11], 9);
    return 0;
}
