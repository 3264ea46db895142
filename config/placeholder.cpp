namespace cogsync::config {}
