// fake_vswhere.c - a stand-in for Visual Studio's vswhere.exe, used only by
// the test suite (tests/build_bat.sh) to check how build.bat finds Visual
// Studio on each host. It prints the folder named by the environment
// variable FAKE_VSWHERE_PATH, as "vswhere -property installationPath" prints
// an installation, or nothing when it is not set (no Visual Studio). A
// prerelease (Preview) installation, FAKE_VSWHERE_PRERELEASE_PATH, is
// printed only when "-prerelease" is on the command line and no release
// one is set, as vswhere lists previews only when asked. Exits 0 either
// way, as vswhere does.

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Prints the installation vswhere would list, if any. Returns 0.
int main(int argc, char *argv[])
{
    const char *path = getenv("FAKE_VSWHERE_PATH");
    const char *preview = getenv("FAKE_VSWHERE_PRERELEASE_PATH");
    int prerelease = 0;
    int i;

    for (i = 1; i < argc; i++)
        if (strcmp(argv[i], "-prerelease") == 0)
            prerelease = 1;
    if (path != NULL && *path != '\0')
        printf("%s\n", path);
    else if (prerelease && preview != NULL && *preview != '\0')
        printf("%s\n", preview);
    return 0;
}
