// fake_clang_cl.c - a stand-in for clang-cl.exe, used only by the test
// suite (tests/build_bat.sh) to check how build.bat chooses and judges a
// clang-cl. "--version" prints "clang version V" and exits 0: V is the
// environment variable FAKE_CLANG_VERSION, else FAKE_DEFAULT_VERSION as
// built (14.0.6, the kind of old LLVM users have on PATH; the suite builds
// a 19.1.5 for its fake Visual Studio). Any other command line is a
// "compile" that writes nothing and exits with FAKE_CLANG_RC (default 0): a
// negative value plays a compiler that crashed, 0 one that claims success.

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FAKE_DEFAULT_VERSION
#define FAKE_DEFAULT_VERSION "14.0.6"
#endif

// Prints the version, or fails as FAKE_CLANG_RC says. Returns the exit code.
int main(int argc, char *argv[])
{
    const char *version = getenv("FAKE_CLANG_VERSION");
    const char *rc = getenv("FAKE_CLANG_RC");

    if (version == NULL || *version == '\0')
        version = FAKE_DEFAULT_VERSION;
    if (argc == 2 && strcmp(argv[1], "--version") == 0)
    {
        printf("clang version %s\nTarget: x86_64-pc-windows-msvc\nThread model: posix\n", version);
        return 0;
    }
    printf("fake clang-cl %s: compiled nothing\n", version);
    return rc != NULL ? atoi(rc) : 0;
}
