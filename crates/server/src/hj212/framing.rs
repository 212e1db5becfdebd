//! Splits a TCP byte stream into packets at LF, with a bounded buffer.

use outlet_hj212::MAX_PACKET_LEN;

/// One unit of the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// The bytes up to and including an LF (a whole packet ends with CR LF; the parser checks the CR).
    Line(Vec<u8>),
    /// More than [`MAX_PACKET_LEN`] bytes arrived without an LF. They were dropped; the framer drops
    /// the rest of the line too and reports once more for every further [`MAX_PACKET_LEN`] bytes,
    /// so a stream without line ends keeps producing errors.
    Oversize { length: usize },
}

/// Packet framing state of one connection. Holds at most [`MAX_PACKET_LEN`] bytes.
#[derive(Debug, Default)]
pub struct Framer {
    buffer: Vec<u8>,
    /// While dropping an over-long line: the bytes dropped since the last report.
    dropping: Option<usize>,
}

impl Framer {
    /// Takes bytes as they arrive and returns the frames they complete.
    pub fn push(&mut self, mut bytes: &[u8]) -> Vec<Frame> {
        let mut frames = Vec::new();
        while !bytes.is_empty() {
            let line_end = bytes.iter().position(|&b| b == b'\n');

            if let Some(dropped) = self.dropping {
                match line_end {
                    Some(end) => {
                        self.dropping = None;
                        bytes = &bytes[end + 1..];
                    }
                    None => {
                        self.dropping = Some(self.report_dropped(dropped + bytes.len(), &mut frames));
                        bytes = &[];
                    }
                }
                continue;
            }

            let take = line_end.map_or(bytes.len(), |end| end + 1);
            if self.buffer.len() + take > MAX_PACKET_LEN {
                let length = self.buffer.len() + take;
                self.buffer.clear();
                frames.push(Frame::Oversize { length });
                if line_end.is_none() {
                    self.dropping = Some(0);
                }
            } else {
                self.buffer.extend_from_slice(&bytes[..take]);
                if line_end.is_some() {
                    frames.push(Frame::Line(std::mem::take(&mut self.buffer)));
                }
            }
            bytes = &bytes[take..];
        }
        frames
    }

    /// Reports one more oversize frame per [`MAX_PACKET_LEN`] bytes dropped; returns the remainder.
    fn report_dropped(&self, mut dropped: usize, frames: &mut Vec<Frame>) -> usize {
        while dropped > MAX_PACKET_LEN {
            frames.push(Frame::Oversize { length: dropped });
            dropped -= MAX_PACKET_LEN;
        }
        dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lines_across_reads() {
        let mut framer = Framer::default();

        assert!(framer.push(b"##00").is_empty());
        let frames = framer.push(b"01abc\r\n##0002xy");

        assert_eq!(frames, vec![Frame::Line(b"##0001abc\r\n".to_vec())]);
        assert_eq!(framer.push(b"\r\n"), vec![Frame::Line(b"##0002xy\r\n".to_vec())]);
    }

    #[test]
    fn over_long_line_is_reported_and_skipped() {
        let mut framer = Framer::default();
        let long = vec![b'x'; MAX_PACKET_LEN + 10];

        let frames = framer.push(&long);
        assert_eq!(frames, vec![Frame::Oversize { length: MAX_PACKET_LEN + 10 }]);
        let frames = framer.push(b"still the long line\r\n##ok\r\n");

        assert_eq!(frames, vec![Frame::Line(b"##ok\r\n".to_vec())]);
    }

    #[test]
    fn endless_line_keeps_reporting_with_bounded_memory() {
        let mut framer = Framer::default();
        let chunk = vec![b'x'; 4096];

        let reports: usize = (0..10).map(|_| framer.push(&chunk).len()).sum();

        assert!(reports > 9 * 4096 / MAX_PACKET_LEN, "one report for the first chunk, then one per MAX_PACKET_LEN bytes: {reports}");
        assert!(framer.buffer.capacity() <= MAX_PACKET_LEN);
    }

    #[test]
    fn line_of_exactly_max_length_passes() {
        let mut framer = Framer::default();
        let mut line = vec![b'x'; MAX_PACKET_LEN - 2];
        line.extend_from_slice(b"\r\n");

        assert_eq!(framer.push(&line), vec![Frame::Line(line.clone())]);
    }
}
