# Runtime ECDF, dimension 2: 24 problems x 51 targets (error 1e2 .. 1e-8), simulated restarts
# Written by optbench report. Re-render in this folder with: gnuplot ecdf_dim2.gp
reset
do for [ext in "png svg"] {
    if (ext eq "png") {
        set terminal pngcairo noenhanced size 960,640 font "Sans,11"
    } else {
        set terminal svg noenhanced size 960,640 dynamic font "Sans,11" background rgb "white"
    }
    set output "ecdf_dim2.".ext
    set title "Runtime ECDF, dimension 2: 24 problems x 51 targets (error 1e2 .. 1e-8), simulated restarts"
    set xlabel "log10(evaluations / dimension)"
    set ylabel "fraction of (problem, target) pairs reached"
    set xrange [-1:5]
    set yrange [0:1]
    set grid
    set key below horizontal width 2
    plot "ecdf_dim2.dat" index 0 using 1:2 with steps lw 2 lc rgb "#0072B2" dt 1 title "cmaes", "" index 1 using 1:2 with points pt 2 ps 2 lw 2 lc rgb "#0072B2" dt 1 notitle, "ecdf_dim2.dat" index 2 using 1:2 with steps lw 2 lc rgb "#D55E00" dt 2 title "cyberagent_cma", "" index 3 using 1:2 with points pt 2 ps 2 lw 2 lc rgb "#D55E00" dt 2 notitle, NaN with points pt 2 ps 2 lw 2 lc rgb "#555555" title "median evaluations of a run"
    unset output
}
