//! Files whose headers claim huge images are rejected before their pixels are allocated.
//!
//! This file is its own test binary with one test, so the counting allocator records only that test's
//! allocations. Linux overcommits memory, so an allocation of many gigabytes could succeed without
//! the pages being touched; only the allocator shows whether it was requested.

mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use outlet_photo::{prepare, PhotoError, PhotoFormat};
use support::*;

/// The system allocator, recording the largest single allocation requested.
struct LargestAllocation;

static LARGEST: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for LargestAllocation {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        // SAFETY: the layout is passed on unchanged from the caller, who upholds `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        // SAFETY: as in `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LARGEST.fetch_max(new_size, Ordering::Relaxed);
        // SAFETY: `ptr` and `layout` come from this allocator, which allocates through `System`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: LargestAllocation = LargestAllocation;

/// Far below the 14.4 GB that a 60000×60000 RGBA image needs, and above what reading a header and
/// a small input file takes.
const MAX_ALLOCATION_BYTES: usize = 16 * 1024 * 1024;

#[test]
fn huge_headers_rejected_without_allocation() {
    let png_bomb = png_claiming(60_000, 60_000, 8);
    let deep_png_bomb = png_claiming(60_000, 60_000, 16);
    let jpeg_bomb = jpeg_claiming(&corpus_file(SMALL_JPEG), 65_000, 65_000);
    // Lets 60000×60000 pass the pixel check, so that the 16-bit image meets the memory check
    // (4 bytes a pixel allowed, 8 needed).
    let mut pixel_limit_passed = china_settings();
    pixel_limit_passed.max_pixels = 3_600_000_000;
    LARGEST.store(0, Ordering::Relaxed);

    let png_error = prepare(&png_bomb, &china_settings()).unwrap_err();
    let jpeg_error = prepare(&jpeg_bomb, &china_settings()).unwrap_err();
    let memory_error = prepare(&deep_png_bomb, &pixel_limit_passed).unwrap_err();

    let largest = LARGEST.load(Ordering::Relaxed);
    assert_eq!(png_error, PhotoError::TooManyPixels { width: 60_000, height: 60_000, limit: 100_000_000 });
    assert_eq!(jpeg_error, PhotoError::TooManyPixels { width: 65_000, height: 65_000, limit: 100_000_000 });
    assert_eq!(memory_error, PhotoError::TooMuchMemory { format: PhotoFormat::Png, bytes: 28_800_000_000, limit: 14_400_000_000 });
    assert!(largest < MAX_ALLOCATION_BYTES, "largest allocation was {largest} bytes");
}
