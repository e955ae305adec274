//! The Red Mud Ledger server (HTTP API arrives with issue 4).
