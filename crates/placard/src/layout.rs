//! Placard sizes and where each element goes on them, in millimetres.

/// The physical placard formats of GB 15562.1-1995 that bureaus order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layout {
    /// Wall-mounted notice sign, 480 × 300 mm.
    Wall,
    /// Post-mounted notice sign, 420 × 420 mm.
    Post,
}

/// A text line's position, size and wrapping width.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextBox {
    pub x: f64,
    pub y: f64,
    pub size_mm: f64,
    /// Line width in mm; longer text wraps onto following lines.
    pub width_mm: f64,
    pub max_lines: usize,
}

/// Element positions of one layout.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Geometry {
    pub size_mm: (f64, f64),
    pub symbol: (f64, f64, f64),
    pub title: TextBox,
    pub title_en: TextBox,
    pub unit: TextBox,
    pub outlet: TextBox,
    pub pollutants: TextBox,
    pub bureau: TextBox,
    pub hotline: TextBox,
    /// Top-left corner and side of the QR code, quiet zone included.
    pub qr: (f64, f64, f64),
    /// The scan hint under the code; the serial goes on the line below it.
    pub hint: TextBox,
}

impl Layout {
    pub const ALL: [Layout; 2] = [Layout::Wall, Layout::Post];

    /// Width and height in mm.
    pub fn size_mm(self) -> (f64, f64) {
        self.geometry().size_mm
    }

    /// Side of the QR code in mm, quiet zone included.
    ///
    /// A version 9 symbol (53 modules, the size of a typical placard URL at level Q) is 61 modules
    /// wide with its 4-module quiet zone on each side. So 170 mm gives 2.8 mm modules and 200 mm gives
    /// 3.3 mm. A phone's 1920 px wide frame covers about 2.1 m at 1.5 m (70° field of view), which is
    /// about 0.9 px per mm. Each module then gets 2.5 to 3 px, the least that common decoders read, and
    /// a 12 MP photo doubles that. These are estimates from the geometry, not measurements.
    pub fn qr_side_mm(self) -> f64 {
        self.geometry().qr.2
    }

    pub fn name(self) -> &'static str {
        match self {
            Layout::Wall => "wall",
            Layout::Post => "post",
        }
    }

    pub(crate) fn geometry(self) -> Geometry {
        let text = |x, y, size_mm, width_mm, max_lines| TextBox { x, y, size_mm, width_mm, max_lines };
        match self {
            Layout::Wall => Geometry {
                size_mm: (480.0, 300.0),
                symbol: (20.0, 18.0, 56.0),
                title: text(86.0, 58.0, 40.0, 200.0, 1),
                title_en: text(86.0, 80.0, 11.0, 200.0, 1),
                unit: text(20.0, 118.0, 18.0, 262.0, 2),
                outlet: text(20.0, 162.0, 14.0, 262.0, 1),
                pollutants: text(20.0, 188.0, 12.0, 262.0, 2),
                bureau: text(20.0, 232.0, 12.0, 262.0, 1),
                hotline: text(20.0, 270.0, 18.0, 262.0, 1),
                qr: (292.0, 36.0, 170.0),
                hint: text(292.0, 240.0, 9.0, 170.0, 1),
            },
            Layout::Post => Geometry {
                size_mm: (420.0, 420.0),
                symbol: (20.0, 20.0, 70.0),
                title: text(104.0, 70.0, 44.0, 300.0, 1),
                title_en: text(104.0, 92.0, 12.0, 300.0, 1),
                unit: text(20.0, 134.0, 18.0, 380.0, 2),
                outlet: text(20.0, 178.0, 14.0, 172.0, 2),
                pollutants: text(20.0, 226.0, 12.0, 172.0, 4),
                bureau: text(20.0, 318.0, 12.0, 172.0, 2),
                hotline: text(20.0, 394.0, 16.0, 172.0, 1),
                qr: (200.0, 170.0, 200.0),
                hint: text(200.0, 388.0, 9.0, 200.0, 1),
            },
        }
    }
}
