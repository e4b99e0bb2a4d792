# Convergence on schwefel:dim=1000: median (line) and interquartile range (band) over 5 runs per optimizer
# Written by optbench report. Re-render in this folder with: gnuplot convergence_schwefel_dim_1000.gp
reset
do for [ext in "png svg"] {
    if (ext eq "png") {
        set terminal pngcairo noenhanced size 960,640 font "Sans,11"
    } else {
        set terminal svg noenhanced size 960,640 dynamic font "Sans,11" background rgb "white"
    }
    set output "convergence_schwefel_dim_1000.".ext
    set title "Convergence on schwefel:dim=1000: median (line) and interquartile range (band) over 5 runs per optimizer"
    set xlabel "evaluations (budget cost units)"
    set ylabel "best-so-far error f - f_opt"
    set logscale x 10
    set format x "% g"
    unset logscale y
    set format y "% g"
    set autoscale xfix
    set grid
    set key below horizontal width 2
    set style fill transparent solid 0.2 noborder
    plot "convergence_schwefel_dim_1000.dat" index 0 using 1:3:4 with filledcurves lc rgb "#0072B2" dt 1 notitle, "" index 0 using 1:2 with linespoints lw 2 lc rgb "#0072B2" dt 1 pt 7 pi -40 title "mdp", "convergence_schwefel_dim_1000.dat" index 1 using 1:3:4 with filledcurves lc rgb "#D55E00" dt 2 notitle, "" index 1 using 1:2 with linespoints lw 2 lc rgb "#D55E00" dt 2 pt 5 pi -40 title "adam", "convergence_schwefel_dim_1000.dat" index 2 using 1:3:4 with filledcurves lc rgb "#009E73" dt 3 notitle, "" index 2 using 1:2 with linespoints lw 2 lc rgb "#009E73" dt 3 pt 9 pi -40 title "cmaes", "convergence_schwefel_dim_1000.dat" index 3 using 1:3:4 with filledcurves lc rgb "#CC79A7" dt 4 notitle, "" index 3 using 1:2 with linespoints lw 2 lc rgb "#CC79A7" dt 4 pt 11 pi -40 title "random_search"
    unset output
}
