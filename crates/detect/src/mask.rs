//! Masking. (Filled in below.)
