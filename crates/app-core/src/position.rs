//! The device's position against the outlet's registered coordinates.
//!
//! A placard far from its outlet may have been moved or swapped, so the card shows the distance from
//! the device's last position fix to the outlet and warns beyond a radius. Fixes older than
//! [`MAX_FIX_AGE`] are not used. The UI requests a fix from the platform and sends
//! [`crate::Event::Position`]. Everything else happens here, without I/O.

use outlet_core::card::Outlet;
use time::{Duration, OffsetDateTime};

use crate::model::Model;

/// Radius around the outlet, in metres, beyond which the card warns, unless the officer sets another.
pub const DEFAULT_PLACARD_RADIUS_M: f64 = 300.0;

/// Age from which a fix no longer counts as the device's position.
pub const MAX_FIX_AGE: Duration = Duration::minutes(10);

/// Mean Earth radius in metres (IUGG), the sphere the haversine formula assumes.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A position fix of the device: WGS-84 degrees, the platform's accuracy estimate as a radius in
/// metres, and when the core received it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PositionFix {
    pub latitude: f64,
    pub longitude: f64,
    pub accuracy_m: f64,
    pub at: OffsetDateTime,
}

/// An invalid position, accuracy or radius.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PositionError {
    #[error("latitude {0} is not between -90 and 90 degrees")]
    InvalidLatitude(f64),
    #[error("longitude {0} is not between -180 and 180 degrees")]
    InvalidLongitude(f64),
    #[error("accuracy {0} m is not a finite number of metres of 0 or more")]
    InvalidAccuracy(f64),
    #[error("radius {0} m is not a finite number of metres above 0")]
    InvalidRadius(f64),
}

impl PositionFix {
    /// Checks the values a platform reported: both coordinates in range and a finite accuracy of
    /// 0 m or more.
    pub fn new(latitude: f64, longitude: f64, accuracy_m: f64, at: OffsetDateTime) -> Result<Self, PositionError> {
        if !(-90.0..=90.0).contains(&latitude) {
            return Err(PositionError::InvalidLatitude(latitude));
        }
        if !(-180.0..=180.0).contains(&longitude) {
            return Err(PositionError::InvalidLongitude(longitude));
        }
        if !accuracy_m.is_finite() || accuracy_m < 0.0 {
            return Err(PositionError::InvalidAccuracy(accuracy_m));
        }
        Ok(Self { latitude, longitude, accuracy_m, at })
    }

    /// True when the fix is at most [`MAX_FIX_AGE`] old at `now`. A fix stamped after `now` (the
    /// clock was set back) counts as fresh.
    pub fn is_fresh(&self, now: OffsetDateTime) -> bool {
        now - self.at <= MAX_FIX_AGE
    }
}

/// Checks a radius for [`crate::Settings::placard_radius_m`]: finite and above 0 m.
pub fn validate_radius(metres: f64) -> Result<f64, PositionError> {
    if metres.is_finite() && metres > 0.0 {
        Ok(metres)
    } else {
        Err(PositionError::InvalidRadius(metres))
    }
}

/// Computes the great-circle distance in metres between two WGS-84 points given in degrees, on a
/// sphere of the mean Earth radius. Its error against the WGS-84 ellipsoid is of the order of the
/// ellipsoid's flattening (1/298, about 0.3 %), far less than a phone's fix accuracy.
pub fn haversine_m(from_latitude: f64, from_longitude: f64, to_latitude: f64, to_longitude: f64) -> f64 {
    let (phi1, phi2) = (from_latitude.to_radians(), to_latitude.to_radians());
    let delta_phi = (to_latitude - from_latitude).to_radians();
    let delta_lambda = (to_longitude - from_longitude).to_radians();

    let a = (delta_phi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (delta_lambda / 2.0).sin().powi(2);
    // Rounding can push `a` just past 1 for antipodal points, and asin would then return NaN.
    2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
}

/// Distance from the device to the outlet, and whether it puts the device near the placard's outlet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Distance {
    pub metres: f64,
    /// Accuracy of the fix the distance comes from, in metres.
    pub accuracy_m: f64,
    /// The radius the distance was checked against, in metres.
    pub radius_m: f64,
    /// True when the outlet is beyond the radius even if the fix is off by its full accuracy
    /// (`metres − accuracy_m > radius_m`), so a coarse fix alone never raises the warning.
    pub beyond_radius: bool,
    /// True when the outlet is within the radius even if the fix is off by its full accuracy
    /// (`metres + accuracy_m ≤ radius_m`). When both flags are false the fix is too coarse to tell.
    pub within_radius: bool,
}

impl Distance {
    fn new(metres: f64, accuracy_m: f64, radius_m: f64) -> Self {
        Self {
            metres,
            accuracy_m,
            radius_m,
            beyond_radius: metres - accuracy_m > radius_m,
            within_radius: metres + accuracy_m <= radius_m,
        }
    }
}

/// The result of comparing the device's position with the outlet's.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum LocationCheck {
    /// No fix and no failure yet: the platform is still being asked.
    #[default]
    Pending,
    Measured(Distance),
    /// The last fix is older than [`MAX_FIX_AGE`]; carries its age in seconds.
    Stale { age_secs: i64 },
    /// The platform reported no fix; carries its reason.
    Unavailable(String),
    /// The registry gives the outlet no valid coordinates.
    OutletNotLocated,
}

/// Compares `fix` with the outlet's coordinates at `now`. A fresh fix wins over a later failure to
/// get another, because it still gives the device's position.
pub fn check_location(
    outlet: &Outlet,
    fix: Option<&PositionFix>,
    unavailable: Option<&str>,
    radius_m: f64,
    now: OffsetDateTime,
) -> LocationCheck {
    let outlet_located = (-90.0..=90.0).contains(&outlet.latitude) && (-180.0..=180.0).contains(&outlet.longitude);
    if !outlet_located {
        return LocationCheck::OutletNotLocated;
    }

    if let Some(fix) = fix.filter(|fix| fix.is_fresh(now)) {
        let metres = haversine_m(fix.latitude, fix.longitude, outlet.latitude, outlet.longitude);
        return LocationCheck::Measured(Distance::new(metres, fix.accuracy_m, radius_m));
    }

    match (unavailable, fix) {
        (Some(reason), _) => LocationCheck::Unavailable(reason.to_string()),
        (None, Some(stale)) => LocationCheck::Stale { age_secs: (now - stale.at).whole_seconds() },
        (None, None) => LocationCheck::Pending,
    }
}

/// Formats a distance as whole metres below 1 km (`850 m`) and as kilometres with one decimal above
/// (`1.2 km`), with a no-break space so the unit never wraps away from its number.
pub fn format_distance(metres: f64) -> String {
    if metres < 999.5 {
        format!("{metres:.0}\u{a0}m")
    } else {
        format!("{:.1}\u{a0}km", metres / 1000.0)
    }
}

/// Recomputes the shown card's [`LocationCheck`] from the model's last fix and settings.
pub(crate) fn refresh_location(model: &mut Model, now: OffsetDateTime) {
    let fix = model.position;
    let unavailable = model.position_unavailable.clone();
    let radius_m = model.settings.placard_radius_m;
    if let Some(view) = model.card.as_mut() {
        view.location = check_location(&view.cached.card.outlet, fix.as_ref(), unavailable.as_deref(), radius_m, now);
    }
}

/// Keeps a fix the platform reported at `now` as the device's position. Invalid values are kept as
/// the reason no position is available.
pub(crate) fn record_fix(model: &mut Model, latitude: f64, longitude: f64, accuracy_m: f64, now: OffsetDateTime) {
    match PositionFix::new(latitude, longitude, accuracy_m, now) {
        Ok(fix) => {
            model.position = Some(fix);
            model.position_unavailable = None;
        }
        Err(error) => {
            tracing::warn!(%error, "platform reported an invalid position fix");
            model.position_unavailable = Some(error.to_string());
        }
    }
    refresh_location(model, now);
}

/// Keeps the platform's reason for not giving a fix. An earlier fix stays and is used while fresh.
pub(crate) fn record_unavailable(model: &mut Model, reason: String, now: OffsetDateTime) {
    tracing::info!(%reason, "position unavailable");
    model.position_unavailable = Some(reason);
    refresh_location(model, now);
}

/// Sets the radius of the placard check and re-checks the shown card.
pub(crate) fn set_radius(model: &mut Model, metres: f64, now: OffsetDateTime) -> Result<(), PositionError> {
    model.settings.placard_radius_m = validate_radius(metres)?;
    refresh_location(model, now);
    Ok(())
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    /// DA001 of the demo power plant.
    fn outlet() -> Outlet {
        outlet_server::demo::demo_cards().remove(0).outlet
    }

    const NOW: OffsetDateTime = datetime!(2026-12-04 10:00 +8);

    fn fix(latitude: f64, longitude: f64, accuracy_m: f64, at: OffsetDateTime) -> PositionFix {
        PositionFix::new(latitude, longitude, accuracy_m, at).unwrap()
    }

    #[test]
    fn haversine_known_distances() {
        // One degree of latitude on the mean sphere: 2πR/360.
        let degree = haversine_m(26.0, 119.0, 27.0, 119.0);
        assert!((degree - 111_195.08).abs() < 0.1, "{degree}");

        // East-west along a parallel, a small step shrinks with cos(latitude): half as long at 60°.
        let at_equator = haversine_m(0.0, 119.0, 0.0, 119.01);
        let at_sixty = haversine_m(60.0, 119.0, 60.0, 119.01);
        assert!((at_sixty / at_equator - 0.5).abs() < 1e-4, "{at_sixty} / {at_equator}");

        assert_eq!(haversine_m(26.0802, 119.3401, 26.0802, 119.3401), 0.0);
    }

    #[test]
    fn haversine_antipodes_not_nan() {
        let half_circumference = std::f64::consts::PI * EARTH_RADIUS_M;
        let distance = haversine_m(0.0, 0.0, 0.0, 180.0);
        assert!((distance - half_circumference).abs() < 1.0, "{distance}");
    }

    #[test]
    fn fix_rejects_invalid_values() {
        assert_eq!(PositionFix::new(91.0, 0.0, 5.0, NOW), Err(PositionError::InvalidLatitude(91.0)));
        assert_eq!(PositionFix::new(0.0, -181.0, 5.0, NOW), Err(PositionError::InvalidLongitude(-181.0)));
        assert!(matches!(PositionFix::new(f64::NAN, 0.0, 5.0, NOW), Err(PositionError::InvalidLatitude(_))));
        assert_eq!(PositionFix::new(0.0, 0.0, -1.0, NOW), Err(PositionError::InvalidAccuracy(-1.0)));
        assert!(matches!(PositionFix::new(0.0, 0.0, f64::INFINITY, NOW), Err(PositionError::InvalidAccuracy(_))));
    }

    #[test]
    fn radius_must_be_positive() {
        assert_eq!(validate_radius(300.0), Ok(300.0));
        assert_eq!(validate_radius(0.0), Err(PositionError::InvalidRadius(0.0)));
        assert!(validate_radius(f64::NAN).is_err());
    }

    #[test]
    fn one_km_away_is_beyond_default_radius() {
        // 0.009° of latitude north of the outlet: about 1,001 m.
        let check = check_location(&outlet(), Some(&fix(26.0892, 119.3401, 20.0, NOW)), None, DEFAULT_PLACARD_RADIUS_M, NOW);

        let LocationCheck::Measured(distance) = check else { panic!("expected a distance, got {check:?}") };
        assert!((distance.metres - 1000.8).abs() < 1.0, "{}", distance.metres);
        assert!(distance.beyond_radius);
        assert!(!distance.within_radius);
        assert_eq!(distance.radius_m, 300.0);
    }

    #[test]
    fn near_outlet_is_within_radius() {
        let check = check_location(&outlet(), Some(&fix(26.0805, 119.3401, 15.0, NOW)), None, DEFAULT_PLACARD_RADIUS_M, NOW);

        let LocationCheck::Measured(distance) = check else { panic!("expected a distance, got {check:?}") };
        assert!(distance.within_radius);
        assert!(!distance.beyond_radius);
    }

    #[test]
    fn coarse_fix_is_neither_within_nor_beyond() {
        // About 400 m away, with a fix good to ±500 m only.
        let check = check_location(&outlet(), Some(&fix(26.0838, 119.3401, 500.0, NOW)), None, DEFAULT_PLACARD_RADIUS_M, NOW);

        let LocationCheck::Measured(distance) = check else { panic!("expected a distance, got {check:?}") };
        assert!(!distance.within_radius);
        assert!(!distance.beyond_radius);
    }

    #[test]
    fn fix_older_than_ten_minutes_unused() {
        let old = fix(26.0892, 119.3401, 20.0, NOW - Duration::minutes(11));
        let borderline = fix(26.0892, 119.3401, 20.0, NOW - Duration::minutes(10));

        assert_eq!(check_location(&outlet(), Some(&old), None, 300.0, NOW), LocationCheck::Stale { age_secs: 660 });
        assert!(matches!(check_location(&outlet(), Some(&borderline), None, 300.0, NOW), LocationCheck::Measured(_)));
    }

    #[test]
    fn fresh_fix_wins_over_later_failure() {
        let recent = fix(26.0892, 119.3401, 20.0, NOW - Duration::minutes(2));
        let old = fix(26.0892, 119.3401, 20.0, NOW - Duration::minutes(30));

        assert!(matches!(check_location(&outlet(), Some(&recent), Some("timeout"), 300.0, NOW), LocationCheck::Measured(_)));
        assert_eq!(check_location(&outlet(), Some(&old), Some("timeout"), 300.0, NOW), LocationCheck::Unavailable("timeout".into()));
        assert_eq!(check_location(&outlet(), None, None, 300.0, NOW), LocationCheck::Pending);
    }

    #[test]
    fn outlet_without_coordinates() {
        let mut outlet = outlet();
        outlet.latitude = f64::NAN;
        let check = check_location(&outlet, Some(&fix(26.0892, 119.3401, 20.0, NOW)), None, 300.0, NOW);
        assert_eq!(check, LocationCheck::OutletNotLocated);
    }

    #[test]
    fn distances_in_m_and_km() {
        assert_eq!(format_distance(12.4), "12\u{a0}m");
        assert_eq!(format_distance(999.4), "999\u{a0}m");
        assert_eq!(format_distance(999.6), "1.0\u{a0}km");
        assert_eq!(format_distance(1000.8), "1.0\u{a0}km");
        assert_eq!(format_distance(12_345.0), "12.3\u{a0}km");
    }
}
