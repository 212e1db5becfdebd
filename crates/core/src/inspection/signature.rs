//! A signature drawn on the screen, kept as strokes so the record stays small and prints sharp.

use serde::{Deserialize, Serialize};

/// Width of the box signatures are scaled into, in signature units.
pub const SIGNATURE_WIDTH: u16 = 1000;

/// Height of the box signatures are scaled into, in signature units.
pub const SIGNATURE_HEIGHT: u16 = 400;

/// Most points a signature may hold, over all strokes; a long signature drawn slowly has about 1 500.
pub const MAX_SIGNATURE_POINTS: usize = 6000;

/// Strokes drawn with a finger or a pen, each a list of `[x, y]` points in a
/// [`SIGNATURE_WIDTH`] × [`SIGNATURE_HEIGHT`] box with the origin at the top left.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub strokes: Vec<Vec<[u16; 2]>>,
}

impl Signature {
    /// Scales strokes drawn on a canvas of `width` × `height` pixels into the signature box, keeping
    /// the aspect ratio. Points outside the canvas are clamped to its edge; strokes of no points are
    /// dropped.
    pub fn from_canvas(strokes: &[Vec<(f64, f64)>], width: f64, height: f64) -> Self {
        let scale = if width > 0.0 && height > 0.0 {
            (f64::from(SIGNATURE_WIDTH) / width).min(f64::from(SIGNATURE_HEIGHT) / height)
        } else {
            1.0
        };
        let clamp = |value: f64, max: u16| (value * scale).round().clamp(0.0, f64::from(max)) as u16;
        let strokes = strokes
            .iter()
            .filter(|stroke| !stroke.is_empty())
            .map(|stroke| stroke.iter().map(|&(x, y)| [clamp(x, SIGNATURE_WIDTH), clamp(y, SIGNATURE_HEIGHT)]).collect())
            .collect();
        Self { strokes }
    }

    /// Number of points over all strokes.
    pub fn points(&self) -> usize {
        self.strokes.iter().map(Vec::len).sum()
    }

    /// True when the strokes could be a signature: some line was drawn, not only dots, and the
    /// points fit in the limit.
    pub fn is_drawn(&self) -> bool {
        self.strokes.iter().any(|stroke| stroke.len() >= 2) && self.points() <= MAX_SIGNATURE_POINTS
    }

    /// True when every point lies inside the signature box.
    pub fn in_box(&self) -> bool {
        self.strokes.iter().flatten().all(|[x, y]| *x <= SIGNATURE_WIDTH && *y <= SIGNATURE_HEIGHT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canvas_strokes_scale_into_box() {
        let signature = Signature::from_canvas(&[vec![(0.0, 0.0), (500.0, 200.0)], vec![]], 500.0, 200.0);
        assert_eq!(signature.strokes, vec![vec![[0, 0], [1000, 400]]]);
        assert!(signature.is_drawn());
    }

    #[test]
    fn points_off_canvas_are_clamped() {
        let signature = Signature::from_canvas(&[vec![(-5.0, 900.0), (10.0, 10.0)]], 100.0, 40.0);
        assert_eq!(signature.strokes[0][0], [0, 400]);
        assert!(signature.in_box());
    }

    #[test]
    fn dots_are_not_a_signature() {
        let signature = Signature::from_canvas(&[vec![(1.0, 1.0)], vec![(5.0, 5.0)]], 100.0, 40.0);
        assert!(!signature.is_drawn());
        assert!(!Signature::default().is_drawn());
    }
}
