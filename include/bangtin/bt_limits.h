/* Hard limits on everything that comes from outside (config files, playlists, USB).
 * One place, each with the reason for its value, so a hostile or broken input can never
 * make the appliance allocate without bound. */
#ifndef BT_LIMITS_H
#define BT_LIMITS_H

/* A playlist.cfg of realistic size is a few KB; 1 MiB leaves room for 500 notices. */
#define BT_MAX_CONFIG_FILE_BYTES (1024 * 1024)
/* Nesting deeper than this is never a real playlist, only a crafted file. */
#define BT_MAX_CONFIG_DEPTH 8
/* A ward rotates a few dozen notices; more than this is a mistake in the export. */
#define BT_MAX_NOTICES 500
#define BT_MAX_TICKER_LINES 50
/* Identifiers are short ASCII slugs chosen by staff. */
#define BT_MAX_ID_BYTES 64
/* One idea per slide: a title is a line or two, a body a short paragraph. */
#define BT_MAX_TITLE_BYTES 400
#define BT_MAX_BODY_BYTES 2000
#define BT_MAX_URL_BYTES 512
#define BT_MAX_CAPTION_BYTES 300
#define BT_MAX_TICKER_LINE_BYTES 600
#define BT_MAX_PATH_BYTES 1024
#define BT_MAX_TOPIC_BYTES 64
/* An item or notice may carry several topics (a bulletin on online public services is "cchc" and
 * "dich-vu-cong" at once); the plans list about ten, and one piece touches a few at most. They
 * are kept joined by ", " in one string: "cchc, dich-vu-cong". */
#define BT_MAX_TOPICS 6
#define BT_MAX_TOPICS_BYTES (BT_MAX_TOPICS * (BT_MAX_TOPIC_BYTES + 2))
/* "07:30-11:30,13:30-17:00" is the usual shape; eight spans covers any real timetable. */
#define BT_MAX_HOUR_SPANS 8
/* A notice shows for seconds to minutes; a day-long slide is a typo. */
#define BT_MIN_NOTICE_SECONDS 3
#define BT_MAX_NOTICE_SECONDS 3600
#define BT_MIN_PRIORITY 1
#define BT_MAX_PRIORITY 9
/* Decoded images live in memory; 8192 px a side (256 MB RGBA at most, checked before decode). */
#define BT_MAX_IMAGE_SIDE 8192
/* The running kiosk's two store connections (its own and the writer's) keep at most this much of
 * the database in their page caches, instead of SQLite's 2 MB each: they append log rows (a few
 * b-tree pages deep) and read this month's figures now and then, which the system's page cache
 * serves again as fast, while a cache filled once by a scan of months of log stays the lobby's
 * memory for good (issue 14, item 9). */
#define BT_KIOSK_STORE_CACHE_KIB 256
/* Diagnostics beyond this are noise: the staff member fixes the first ones and checks again. */
#define BT_MAX_DIAGS 200
#define BT_MAX_DIAG_MESSAGE 512

/* An image file on the stick is read whole into memory before decoding; a slide image of a few
 * MB is normal, 32 MiB is far beyond any sensible PNG/JPEG of at most BT_MAX_IMAGE_SIDE a side. */
#define BT_MAX_IMAGE_FILE_BYTES (32 * 1024 * 1024)

/* Video notices (issue 15). A lobby clip is a short: the city's CCHC clips run 30 s to 3 min;
 * ten minutes is far beyond, and a 4-hour recording on a stick is a mistake, refused at load. */
#define BT_MAX_VIDEO_SECONDS (10 * 60)
/* Decoded in software on the appliance (VA-API only where present): 1080p at 30 fps is what
 * one core of the lobby PC decodes with room to spare; 4K or 60 fps would drop frames. A side
 * is checked long/short, so a portrait 1080×1920 clip is as welcome as a landscape one. */
#define BT_MAX_VIDEO_LONG_SIDE 1920
#define BT_MAX_VIDEO_SHORT_SIDE 1080
#define BT_MAX_VIDEO_FPS 30
/* Tolerance on the frame rate a container reports (29.97 and 30.00 both pass; 25, 24 too). */
#define BT_VIDEO_FPS_SLACK_MILLI 500
/* A phone's 1080p30 H.264 runs at 10–17 Mbit/s: ten minutes of it is about 1.2 GB. Exported for
 * the screen at ~8 Mbit/s (the staff guide's settings) it is 600 MB; 768 MiB stays under a
 * third of a package (BT_MAX_PACKAGE_BYTES). */
#define BT_MAX_VIDEO_FILE_BYTES (768LL * 1024 * 1024)
/* A clip's length as its notice's duration is rounded up to whole seconds after dropping this
 * much: audio encoders' priming samples make a 6 s export 6.02 s long. */
#define BT_VIDEO_LENGTH_SLACK_MS 100
/* Proof of play counts a showing of a clip as a whole play when it lasted the clip's length less
 * this: the rotation gives the clip whole seconds after dropping BT_VIDEO_LENGTH_SLACK_MS, and
 * the kiosk sees each change of notice a frame or a turn of its loop late. Half a second is the
 * clip's last frames, not a part of its message. */
#define BT_VIDEO_WHOLE_SLACK_MS 500
/* Decoding the whole clip once at check/import takes about a tenth of its length in software;
 * the child doing it is killed after this long. */
#define BT_VIDEO_CHECK_TIMEOUT_MS (5 * 60 * 1000)

/* Loudspeaker: Hanoi limits urban wards to a few short sessions a day. */
#define BT_MAX_BROADCAST_ITEMS 200
#define BT_MAX_BROADCAST_SESSIONS 50
#define BT_MAX_SESSION_TIMES 8      /* times of day a recurring session airs */
#define BT_MAX_SESSION_ONE_OFFS 32  /* one-off date-times per session */
#define BT_MAX_SESSION_ITEMS 20     /* items in one session */

/* Audio items and the chime. An item file is read whole (hashed and decoded from the same bytes);
 * spoken news compressed as OGG/MP3 is a few MB, and even a 10-minute 48 kHz stereo WAV fits in
 * 128 MiB. */
#define BT_MAX_AUDIO_FILE_BYTES (128 * 1024 * 1024)
/* A tin/bài airs for minutes; a Hanoi session lasts at most 15. The cap also bounds decoded PCM
 * (48 kHz mono 16-bit: 86 MB for 15 minutes), checked before decoding where the format tells. */
#define BT_MAX_AUDIO_ITEM_SECONDS (15 * 60)
/* The transcript of a recorded item (issue 14), shown as captions while it airs: the longest
 * item (BT_MAX_AUDIO_ITEM_SECONDS) spoken at a news reader's 150 words a minute is about 2 250
 * Vietnamese syllables of 4-6 bytes with their space, as for a text bulletin's text
 * (BT_SPEECH_MAX_TEXT_BYTES). */
#define BT_MAX_TRANSCRIPT_BYTES 12000
/* A chime is a few notes; anything longer is the wrong file. */
#define BT_MAX_CHIME_SECONDS 10

/* Targets (issue 5): a ward plan names a handful of targets per channel; 50 is far beyond any. */
#define BT_MAX_TARGETS 50
/* Largest minimum a target may ask for: minutes on screen in a year fit easily (525 600). */
#define BT_MAX_TARGET_MINIMUM 1000000
/* A target's label is a short noun phrase ("tin bài CCHC"). */
#define BT_MAX_TARGET_LABEL_BYTES 200

/* USB packages (issue 4). A playlist of BT_MAX_NOTICES images and BT_MAX_BROADCAST_ITEMS audio
 * items plus playlist.cfg and a few notes stays well under 1000 files. */
#define BT_MAX_PACKAGE_FILES 1000
/* images/2025/quy-4/x.png is three levels; anything much deeper is a crafted stick. */
#define BT_MAX_PACKAGE_DEPTH 8
/* Everything in one package: 200 audio items and 500 images of a few MB each stay far below;
 * the cap bounds the copy's time and the disk it takes (the store keeps a few playlists). */
#define BT_MAX_PACKAGE_BYTES (2LL * 1024 * 1024 * 1024)
/* A file that is neither an image, an audio item nor playlist.cfg (notes, transcripts): no
 * larger than the largest audio item. */
#define BT_MAX_PACKAGE_FILE_BYTES BT_MAX_AUDIO_FILE_BYTES
/* MANIFEST: one line per file (hash, size, path), so files × (longest path + 96). */
#define BT_MAX_MANIFEST_BYTES (BT_MAX_PACKAGE_FILES * (BT_MAX_PATH_BYTES + 96))
/* A key file or a signature file is a comment and one line of hex. */
#define BT_MAX_KEY_FILE_BYTES 4096

/* Legibility at load (issue 11). An image enlarged more than twice its own pixels shows its
 * pixels as soft blocks from a few metres; `check` warns beyond this factor. */
#define BT_MAX_IMAGE_UPSCALE 2
/* The smallest QR module a phone reads from where people stand, in px at 1080 px of the short
 * side (scaled with it like every length of the layout). A scanner looks at preview frames of
 * about 1920 px across a ~65° view: at 1.5 m that is ~1.9 m of wall, ~1 mm per camera pixel,
 * and decoders need about 3 camera pixels per module, so a module must be ≥ 3 mm (≥ 4 mm at
 * 2 m). On a 43-inch 16:9 TV, the common lobby screen, a pixel at 1080 rows is 0.50 mm: 6 px is
 * 3 mm, and at 768 rows (1366×768) the same 3 mm is 4 px. */
#define BT_MIN_QR_MODULE_PX_AT_1080 6

#endif
