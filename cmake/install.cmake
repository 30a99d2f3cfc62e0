# Install rules: where each part of bangtin goes under the prefix (GNUInstallDirs), so that
# `cmake --install` into a staging root is what the Debian package ships (scripts/package).
# The program finds its data relative to itself (BT_SHARE_RELATIVE), so any prefix works.

install(TARGETS bangtin RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The video module (bt_video_module.h), where the program looks for it: lib/bangtin under the
# prefix, /usr/lib/bangtin in the package (a private module, not a library for others).
if(TARGET bangtin-video)
  install(TARGETS bangtin-video LIBRARY DESTINATION ${BT_VIDEO_MODULE_DIR})
endif()
# The reports module (report/report_module.h), the same way.
if(TARGET bangtin-reports)
  install(TARGETS bangtin-reports LIBRARY DESTINATION ${BT_REPORT_MODULE_DIR})
endif()
# The audio module (audio/audio_module.h), the same way.
if(TARGET bangtin-audio)
  install(TARGETS bangtin-audio LIBRARY DESTINATION ${BT_AUDIO_MODULE_DIR})
endif()
# The staged data (cmake/stage_data.cmake): fonts, assets with the chime, the demo playlist with
# its generated audio (and the transcripts it is spoken from).
install(DIRECTORY ${BT_STAGE_DIR}/ DESTINATION ${CMAKE_INSTALL_DATADIR}/bangtin)

# --- The appliance: configuration, service, user, directories, USB rule, manual, completion ---
# (packaging/, docs/install.md). `cmake --install` puts them where systemd, udev and bash look
# under the prefix; the Debian package (debian/rules) sets bookworm's /lib paths and debhelper
# turns the installed unit, sysusers.d and tmpfiles.d files into maintainer-script snippets.
set(BT_SYSTEMD_UNIT_DIR "${CMAKE_INSTALL_PREFIX}/lib/systemd/system" CACHE PATH
    "Where bangtin.service is installed")
set(BT_UDEV_RULES_DIR "${CMAKE_INSTALL_PREFIX}/lib/udev/rules.d" CACHE PATH
    "Where the USB-stick udev rule is installed")
set(BT_SYSUSERS_DIR "${CMAKE_INSTALL_PREFIX}/lib/sysusers.d" CACHE PATH
    "Where the sysusers.d entry for the bangtin user is installed")
set(BT_TMPFILES_DIR "${CMAKE_INSTALL_PREFIX}/lib/tmpfiles.d" CACHE PATH
    "Where the tmpfiles.d entry for /var/lib/bangtin and /media/bangtin is installed")
set(BT_BASH_COMPLETION_DIR "${CMAKE_INSTALL_FULL_DATADIR}/bash-completion/completions" CACHE PATH
    "Where bash completion for bangtin is installed")
set(bt_pkg "${PROJECT_SOURCE_DIR}/packaging")

# The unit names /usr/bin/bangtin (so it verifies as it stands); installed, it names this
# prefix's binary. Re-read when the source unit changes.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${bt_pkg}/bangtin.service")
file(READ "${bt_pkg}/bangtin.service" bt_unit)
string(REPLACE "ExecStart=/usr/bin/bangtin " "ExecStart=${CMAKE_INSTALL_FULL_BINDIR}/bangtin "
       bt_unit "${bt_unit}")
file(GENERATE OUTPUT "${PROJECT_BINARY_DIR}/packaging/bangtin.service" CONTENT "${bt_unit}")
install(FILES "${PROJECT_BINARY_DIR}/packaging/bangtin.service" DESTINATION "${BT_SYSTEMD_UNIT_DIR}")

install(FILES "${bt_pkg}/bangtin.sysusers" DESTINATION "${BT_SYSUSERS_DIR}" RENAME bangtin.conf)
install(FILES "${bt_pkg}/bangtin.tmpfiles" DESTINATION "${BT_TMPFILES_DIR}" RENAME bangtin.conf)
install(FILES "${bt_pkg}/99-bangtin-usb.rules" DESTINATION "${BT_UDEV_RULES_DIR}")
install(FILES "${bt_pkg}/bangtin.1" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
install(FILES "${bt_pkg}/bangtin.bash-completion" DESTINATION "${BT_BASH_COMPLETION_DIR}"
        RENAME bangtin)
install(FILES "${PROJECT_SOURCE_DIR}/docs/install.md" DESTINATION "${CMAKE_INSTALL_DOCDIR}")

# /etc/bangtin/bangtin.cfg (the program's default, BT_SYSTEM_CONFIG) from the example, and the
# folder for the ward's public keys. An existing configuration is never overwritten: a second
# `cmake --install` keeps the ward's edits (dpkg handles its conffile itself).
set(bt_etc "${CMAKE_INSTALL_FULL_SYSCONFDIR}/bangtin")
install(DIRECTORY DESTINATION "${bt_etc}/keys")
install(CODE "
  if(EXISTS \"\$ENV{DESTDIR}${bt_etc}/bangtin.cfg\")
    message(STATUS \"Kept: \$ENV{DESTDIR}${bt_etc}/bangtin.cfg\")
  else()
    file(INSTALL \"${bt_pkg}/bangtin.cfg.example\" DESTINATION \"${bt_etc}\"
         RENAME bangtin.cfg PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
  endif()")
