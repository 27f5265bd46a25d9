//! Application state: plain data, actions and a pure reducer; the view spec; presets.
