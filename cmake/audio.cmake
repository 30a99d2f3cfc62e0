# libsodium's SHA-256: content hashes of broadcast audio (audio room) and the hash chain of the
# airing log (store room). Include after the bt_store and bt_audio targets are defined.
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
target_link_libraries(bt_audio PUBLIC PkgConfig::SODIUM)
target_link_libraries(bt_store PUBLIC PkgConfig::SODIUM)
