/* The next decoded frame of a clip's stream (video_stream.h). */
#include "video_stream.h"

int video_stream_next_frame(AVFormatContext *fmt, AVCodecContext *dec, int stream, AVPacket *pkt,
                            bool *draining, AVFrame *frame)
{
    for (;;) {
        int rc = avcodec_receive_frame(dec, frame);
        if (rc == 0)
            return 1;
        if (rc == AVERROR_EOF)
            return 0;
        if (rc != AVERROR(EAGAIN))
            return -1;
        if (*draining)
            return 0;
        rc = av_read_frame(fmt, pkt);
        if (rc < 0) {
            /* The end of the file (or of a cut one): what the decoder holds still comes out. */
            *draining = true;
            avcodec_send_packet(dec, NULL);
            continue;
        }
        if (pkt->stream_index == stream)
            rc = avcodec_send_packet(dec, pkt);
        av_packet_unref(pkt);
        if (rc < 0 && rc != AVERROR(EAGAIN) && rc != AVERROR_INVALIDDATA)
            return -1;
    }
}
