//! Scanning structured records. (Filled in below.)
