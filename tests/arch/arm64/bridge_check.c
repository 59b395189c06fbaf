/* bridge_check.c - what abi_bridge.c must keep of msvcrt's printf family:
 * flags, widths, precisions, `*`, length prefixes, doubles among
 * integers, wide formats, long pieces, and _vsnprintf's return values
 * (-1 when it does not fit, no NUL when exactly full, a NUL when there is
 * room). tests/arch/arm64.sh builds it for x64 (msvcrt itself, under the
 * host's Wine: the reference) and for ARM64 with the bridge, and expects
 * the same bytes from both.
 */
/* msvcrt's functions, as the demo uses them (src/demo.h), not MinGW-w64's */
#define __USE_MINGW_ANSI_STDIO 0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#if defined(_MSC_VER) && defined(__MINGW64_VERSION_MAJOR)
int _fltused = 0;       /* As repro_printf_doubles.c */
#endif

/* Not constants the compiler could fold into a format. */
static volatile double g_d[] = { 1.5, -2.25, 1234.5678, 0.000123, 1e300 };
static volatile int g_n[] = { 42, -7, 5, -5, 3, -1 };

/* `...` to a va_list to _vsnprintf, as strsafe does. */
static int FormatA(char *buf, size_t cch, const char *fmt, ...)
{
    va_list args;
    int n;

    va_start(args, fmt);
    n = _vsnprintf(buf, cch, fmt, args);
    va_end(args);
    return n;
}

/* The same for _vsnwprintf. */
static int FormatW(wchar_t *buf, size_t cch, const wchar_t *fmt, ...)
{
    va_list args;
    int n;

    va_start(args, fmt);
    n = _vsnwprintf(buf, cch, fmt, args);
    va_end(args);
    return n;
}

/* One _vsnprintf case: its return value and the buffer's bytes, '#' for
 * a byte not written ('@' for a NUL). */
static void ShowA(const char *what, int n, const char *buf, size_t cb)
{
    size_t i;

    printf("%s: %d [", what, n);
    for (i = 0; i < cb; i++)
        printf("%c", buf[i] == '\0' ? '@' : buf[i]);
    printf("]\n");
}

int main(void)
{
    char sz[16];
    wchar_t wsz[16];
    char big[400];
    size_t i;
    int n;

    n = printf("%d|%5d|%-5d|%+d|% d|%05d|%x|%X|%#o|%u|%c|%%|%s|%8s|%-8s|%.2s|\n", g_n[0], g_n[0], g_n[0],
               g_n[0], g_n[0], g_n[1], 255, 255, 8, 3000000000u, 'z', "str", "right", "left", "trunc");
    printf("printf gave %d\n", n);
    n = printf("%.1f %d %.3f %d %e %g %G %10.2f|%-10.2f|%+.0f %d\n", g_d[0], g_n[0], g_d[1], g_n[1],
               g_d[2], g_d[3], g_d[4], g_d[2], g_d[0], g_d[0], g_n[2]);
    printf("printf gave %d\n", n);
    n = printf("%*d|%*d|%.*f|%.*f|%*.*f|%-*s|\n", g_n[2], g_n[0], g_n[3], g_n[0], g_n[4], g_d[2],
               g_n[5], g_d[0], 9, 2, g_d[1], 6, "ab");
    printf("printf gave %d\n", n);
    n = printf("%I64d %lld %I64x %ld %lu %hd %hhd %zu %Iu %I32d %p\n", -1234567890123LL, 9876543210LL,
               0x123456789abcULL, -5L, 7UL, (short)-3, (char)65, (size_t)12, (size_t)13, 14, (void *)0x1234);
    printf("printf gave %d\n", n);
    n = fprintf(stdout, "%s %d %.2f %hs %ls\n", "fprintf", 1, 2.5, "narrow", L"wide");
    printf("fprintf gave %d\n", n);

    memset(sz, '#', sizeof sz);
    ShowA("fits", FormatA(sz, 8, "%d-%s", 12, "ab"), sz, 8);
    memset(sz, '#', sizeof sz);
    ShowA("exactly full", FormatA(sz, 5, "%d-%s", 12, "ab"), sz, 8);
    memset(sz, '#', sizeof sz);
    ShowA("one short", FormatA(sz, 4, "%d-%s", 12, "ab"), sz, 8);
    memset(sz, '#', sizeof sz);
    ShowA("literal over", FormatA(sz, 3, "abcdef"), sz, 8);
    memset(sz, '#', sizeof sz);
    ShowA("width %*.*f", FormatA(sz, 15, "%*.*f", 8, 3, g_d[0]), sz, 15);
    ShowA("no buffer", FormatA(NULL, 0, "%d%s", 123, "xy"), "", 0);
    n = FormatA(big, sizeof big, "%300d|%.1f", 7, g_d[0]);
    printf("long piece: %d, %u spaces, ends %s\n", n, (unsigned)strspn(big, " "), big + 297);

    n = wprintf(L"%s %hs %S %ls %d %.3f %5.1f|%-6s|%c %C\n", L"wide", "narrow", "upper-S", L"ls", g_n[0], g_d[1],
                g_d[0], L"l", L'w', 'n');
    fflush(stdout);
    printf("wprintf gave %d\n", n);
    n = fwprintf(stdout, L"%d %.2e %*d\n", g_n[1], g_d[2], g_n[2], g_n[0]);
    fflush(stdout);
    printf("fwprintf gave %d\n", n);
    wmemset(wsz, L'#', 16);
    n = FormatW(wsz, 6, L"%.2f%s", g_d[0], L"xyz");
    printf("_vsnwprintf one short: %d [", n);
    for (i = 0; i < 8; i++)
        printf("%c", wsz[i] == 0 ? '@' : (char)wsz[i]);
    printf("]\n");
    wmemset(wsz, L'#', 16);
    n = FormatW(wsz, 12, L"%.2f%s", g_d[0], L"xyz");
    printf("_vsnwprintf fits: %d [", n);
    for (i = 0; i < 8; i++)
        printf("%c", wsz[i] == 0 ? '@' : (char)wsz[i]);
    printf("]\n");
    return 0;
}
