# Demo broadcast audio, made at build time from the Vietnamese texts in playlists/demo/audio/*.txt
# (espeak-ng) plus a chime synthesised with sox: see scripts/gen-demo-audio.sh. The .ogg files are
# written next to their sources in the source tree (and gitignored), so the demo playlist
# validates straight from a checkout and `install(DIRECTORY playlists/demo)` ships them.
# Include after the bangtin target is defined: building bangtin (scripts/demo) builds the audio.
get_filename_component(BT_DEMO_ROOT "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
find_program(BT_ESPEAK_NG espeak-ng)
find_program(BT_SOX sox)

if(BT_ESPEAK_NG AND BT_SOX)
  set(bt_demo_gen "${BT_DEMO_ROOT}/scripts/gen-demo-audio.sh")
  file(GLOB bt_demo_texts CONFIGURE_DEPENDS "${BT_DEMO_ROOT}/playlists/demo/audio/*.txt")
  set(bt_demo_outputs "")
  foreach(txt IN LISTS bt_demo_texts)
    get_filename_component(stem "${txt}" NAME_WE)
    set(ogg "${BT_DEMO_ROOT}/playlists/demo/audio/${stem}.ogg")
    add_custom_command(OUTPUT "${ogg}"
      COMMAND "${bt_demo_gen}" --item "${txt}" "${ogg}"
      DEPENDS "${txt}" "${bt_demo_gen}"
      COMMENT "Đọc tin ${stem} (espeak-ng) → ${stem}.ogg"
      VERBATIM)
    list(APPEND bt_demo_outputs "${ogg}")
  endforeach()
  set(bt_demo_chime "${BT_DEMO_ROOT}/assets/chime.ogg")
  add_custom_command(OUTPUT "${bt_demo_chime}"
    COMMAND "${bt_demo_gen}" --chime "${bt_demo_chime}"
    DEPENDS "${bt_demo_gen}"
    COMMENT "Tạo tiếng chuông assets/chime.ogg (sox)"
    VERBATIM)
  add_custom_target(bt_demo_audio ALL DEPENDS ${bt_demo_outputs} "${bt_demo_chime}")
  if(TARGET bangtin)
    add_dependencies(bangtin bt_demo_audio)
  endif()
else()
  message(WARNING "Không có espeak-ng hoặc sox: không tạo được âm thanh mẫu cho danh sách phát "
                  "demo (cài gói espeak-ng và sox, xem scripts/deps.sh).")
endif()
