/* startup.c - the C start-up of the ARM64 builds that tests/arm64.sh runs.
 *
 * Debian has no C runtime start-up for aarch64-pc-windows-msvc (MinGW-w64's
 * crt2.o is x86 only here, and MSVC's libcmt is not on Linux), so this is
 * the part of one that the demo needs, over msvcrt.dll as Wine provides it:
 * the entry point gets the command line from msvcrt (__getmainargs, or
 * __wgetmainargs for a -municode build, as MinGW-w64's crtexe.c does), calls
 * main or wmain, and ends with exit() so that stdio is flushed.
 * Built with -DUNICODE for the Unicode variants.
 */
#include <stdio.h>
#include <stdlib.h>

typedef struct { int newmode; } StartupInfo;

#ifdef UNICODE
int __cdecl __wgetmainargs(int *argc, wchar_t ***argv, wchar_t ***envp,
                           int expand_wildcards, StartupInfo *info);
int wmain(int argc, wchar_t **argv, wchar_t **envp);

/* The entry point of a Unicode build (lld-link /entry:wmainCRTStartup). */
void wmainCRTStartup(void)
{
    int argc = 0;
    wchar_t **argv = NULL, **envp = NULL;
    StartupInfo info = { 0 };

    __wgetmainargs(&argc, &argv, &envp, 0, &info);
    exit(wmain(argc, argv, envp));
}
#else
int __cdecl __getmainargs(int *argc, char ***argv, char ***envp,
                          int expand_wildcards, StartupInfo *info);
int main(int argc, char **argv, char **envp);

/* The entry point of an ANSI build (lld-link /entry:mainCRTStartup). */
void mainCRTStartup(void)
{
    int argc = 0;
    char **argv = NULL, **envp = NULL;
    StartupInfo info = { 0 };

    __getmainargs(&argc, &argv, &envp, 0, &info);
    exit(main(argc, argv, envp));
}
#endif

/* stdin, stdout and stderr: MinGW-w64's headers name them
 * __acrt_iob_func(0..2), the UCRT's function; msvcrt.dll has instead the
 * array of FILE that __iob_func returns (MinGW-w64 bridges the two the same
 * way in its libmsvcrt). */
FILE *__cdecl __acrt_iob_func(unsigned index)
{
    return &__iob_func()[index];
}
