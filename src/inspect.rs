//! `vanban inspect`: being written.
