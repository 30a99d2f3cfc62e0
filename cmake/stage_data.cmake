# The read-only data bangtin ships, staged in the build tree as it will be installed
# (BT_STAGE_DIR = build/share/bangtin): fonts, assets (with the chime), and the demo playlist
# whose broadcast audio is made here from its Vietnamese texts with espeak-ng, plus a chime
# synthesised with sox (scripts/gen-demo-audio.sh). Nothing is written into the source tree.
# Building bangtin stages everything, so `build/bin/bangtin run --playlist
# build/share/bangtin/playlists/demo` and the tests work straight from the build tree, and
# `cmake --install` copies the staged folder as it is.
# Include after the bangtin target is defined.
get_filename_component(BT_SOURCE_ROOT "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
find_program(BT_ESPEAK_NG espeak-ng)
find_program(BT_SOX sox)

set(bt_staged "")

# Copies of the files kept in the repository (re-copied when a source changes).
file(GLOB_RECURSE bt_stage_sources CONFIGURE_DEPENDS RELATIVE "${BT_SOURCE_ROOT}"
     "${BT_SOURCE_ROOT}/fonts/*" "${BT_SOURCE_ROOT}/assets/*"
     "${BT_SOURCE_ROOT}/playlists/demo/*")
foreach(rel IN LISTS bt_stage_sources)
  # Audio made by an older build inside the source tree is not shipped: the build makes its own.
  if(rel MATCHES "\\.ogg$" OR rel STREQUAL "assets/chime.wav")
    continue()
  endif()
  set(out "${BT_STAGE_DIR}/${rel}")
  add_custom_command(OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -E copy_if_different "${BT_SOURCE_ROOT}/${rel}" "${out}"
    DEPENDS "${BT_SOURCE_ROOT}/${rel}"
    VERBATIM)
  list(APPEND bt_staged "${out}")
endforeach()

if(BT_ESPEAK_NG AND BT_SOX)
  set(bt_demo_gen "${BT_SOURCE_ROOT}/scripts/gen-demo-audio.sh")
  file(GLOB bt_demo_texts CONFIGURE_DEPENDS "${BT_SOURCE_ROOT}/playlists/demo/audio/*.txt")
  foreach(txt IN LISTS bt_demo_texts)
    get_filename_component(stem "${txt}" NAME_WE)
    set(ogg "${BT_STAGE_DIR}/playlists/demo/audio/${stem}.ogg")
    add_custom_command(OUTPUT "${ogg}"
      COMMAND "${bt_demo_gen}" --item "${txt}" "${ogg}"
      DEPENDS "${txt}" "${bt_demo_gen}"
      COMMENT "Đọc tin ${stem} (espeak-ng) → ${stem}.ogg"
      VERBATIM)
    list(APPEND bt_staged "${ogg}")
  endforeach()
  # chime.wav is what the kiosk plays (a WAV needs no SDL2_mixer: audio/audio_module.h);
  # chime.ogg, the same chime compressed, for a ward's playlist to use as an item.
  foreach(ext wav ogg)
    set(bt_demo_chime "${BT_STAGE_DIR}/assets/chime.${ext}")
    add_custom_command(OUTPUT "${bt_demo_chime}"
      COMMAND "${bt_demo_gen}" --chime "${bt_demo_chime}"
      DEPENDS "${bt_demo_gen}"
      COMMENT "Tạo tiếng chuông chime.${ext} (sox)"
      VERBATIM)
    list(APPEND bt_staged "${bt_demo_chime}")
  endforeach()
else()
  message(WARNING "Không có espeak-ng hoặc sox: không tạo được âm thanh mẫu cho danh sách phát "
                  "demo (cài gói espeak-ng và sox, xem scripts/deps.sh).")
endif()

add_custom_target(bt_stage_data ALL DEPENDS ${bt_staged})
add_dependencies(bangtin bt_stage_data)
