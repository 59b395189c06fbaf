// fake_vswhere.c - a stand-in for Visual Studio's vswhere.exe, used only by
// the test suite (tests/build_bat.sh) to check how build.bat finds Visual
// Studio on each host. It prints the folder named by the environment
// variable FAKE_VSWHERE_PATH, as "vswhere -property installationPath" prints
// an installation, or nothing when it is not set (no Visual Studio), and
// exits 0 either way, as vswhere does.

#include <stdio.h>
#include <stdlib.h>

// Prints FAKE_VSWHERE_PATH, if set. Returns 0.
int main(void)
{
    const char *path = getenv("FAKE_VSWHERE_PATH");

    if (path != NULL && *path != '\0')
        printf("%s\n", path);
    return 0;
}
