namespace cogsync::server {}
