//! Reference data and requirements: the catalog's lists (`read`), admins' writes to missions
//! and conferences (`writes`), and requirements (`requirements`).

pub mod read;
pub mod requirements;
pub mod writes;
