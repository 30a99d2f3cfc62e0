# Cross-compiling for Windows x86-64 with Debian's mingw-w64 (gcc-mingw-w64-x86-64), as
# scripts/build-windows does. BT_WINDOWS_PREFIX: the folder its static libraries were installed
# into (libsodium, libconfig, utf8proc built from Debian's sources); pkg-config is pointed there
# by the script (PKG_CONFIG_LIBDIR).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(BT_MINGW x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${BT_MINGW}-gcc)
# C++ only for libraries that have some (SDL2 probes for it); bangtin itself is C.
set(CMAKE_CXX_COMPILER ${BT_MINGW}-g++)
set(CMAKE_RC_COMPILER ${BT_MINGW}-windres)
set(CMAKE_FIND_ROOT_PATH /usr/${BT_MINGW} ${BT_WINDOWS_PREFIX})
# Programs the build runs (espeak-ng and sox for the demo's audio) are the build machine's;
# libraries and headers come from the target's roots only.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
